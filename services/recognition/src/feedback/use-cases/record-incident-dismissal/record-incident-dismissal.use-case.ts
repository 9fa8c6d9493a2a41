import { Injectable } from '@nestjs/common';
import { incidents, isUuid } from '@safecity/contracts';
import { Inbox, NonRetriableEventError } from '@safecity/messaging';
import { RegionAccess, RegionScope, UseCase, UseCaseHandler } from '@safecity/security';
import { RECOGNITION_POLICIES as P } from '../../../recognition.policies';
import {
  FalsePositivesRepository,
  type FalsePositive,
  type SourceKind,
} from '../../false-positives.repository';
import type { RecordIncidentDismissal } from './record-incident-dismissal.command';

const SOURCE_KIND: Partial<Record<incidents.IncidentSourceKind, SourceKind>> = {
  [incidents.IncidentSourceKind.INCIDENT_SOURCE_KIND_PLATE_MATCH]: 'plate',
  [incidents.IncidentSourceKind.INCIDENT_SOURCE_KIND_FACE_MATCH]: 'face',
  [incidents.IncidentSourceKind.INCIDENT_SOURCE_KIND_BEHAVIOUR_ALERT]: 'behaviour',
};

/**
 * Operators' verdicts fed back into matching: an incident dismissed as a false alarm counts
 * against every camera and watchlist whose match or alert opened it, so the lists and rules that
 * waste operators' time can be found and tuned. Each `safecity.incidents.v1` event applies once;
 * the answer is the number of false positives it added.
 */
@Injectable()
export class RecordIncidentDismissalUseCase extends UseCaseHandler<RecordIncidentDismissal, number> {
  constructor(
    private readonly access: RegionAccess,
    private readonly falsePositives: FalsePositivesRepository,
    private readonly inbox: Inbox,
  ) {
    super();
  }

  @UseCase(P.recordIncidentDismissals)
  async execute({ change: event }: RecordIncidentDismissal): Promise<number> {
    const { incident, kind } = event.data;
    if (!incident?.id || !isUuid(incident.id))
      throw new NonRetriableEventError('incident change without incident id');
    const dismissedAsFalse =
      kind === incidents.IncidentChangeKind.INCIDENT_CHANGE_KIND_STATE_CHANGED &&
      incident.state === incidents.IncidentState.INCIDENT_STATE_DISMISSED &&
      incident.resolution === incidents.Resolution.RESOLUTION_FALSE_ALARM;
    if (!dismissedAsFalse) return 0;
    const sources = (incident.sources ?? []).filter((s) => SOURCE_KIND[s.kind] && isUuid(s.refId));
    if (sources.length === 0) return 0;
    const { result } = await this.inbox.once(event, () =>
      this.access.run(RegionScope.allRegions(), async (m) => {
        const found = await this.falsePositives.sources(
          m,
          sources.map((s) => s.refId),
        );
        const dismissedAt = event.data.changedAt ?? event.time;
        const rows: FalsePositive[] = [];
        for (const s of sources) {
          const kind = SOURCE_KIND[s.kind] as SourceKind;
          if (kind === 'behaviour') {
            const alert = found.alerts.find((a) => a.id === s.refId);
            if (alert)
              rows.push({
                incidentId: incident.id,
                sourceKind: kind,
                sourceId: alert.id,
                regionCode: alert.regionCode,
                cameraId: alert.cameraId,
                watchlistId: null,
                dismissedAt,
              });
            continue;
          }
          // A source this service never raised (or has erased) is not ours to count.
          const match = found.matches.find((x) => x.id === s.refId && x.kind === kind);
          if (!match) continue;
          for (const watchlistId of match.watchlistIds) {
            rows.push({
              incidentId: incident.id,
              sourceKind: kind,
              sourceId: match.id,
              regionCode: match.regionCode,
              cameraId: match.cameraId,
              watchlistId,
              dismissedAt,
            });
          }
        }
        return this.falsePositives.insert(m, rows);
      }),
    );
    return result ?? 0;
  }
}
