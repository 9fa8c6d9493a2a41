import { Inject, Injectable } from '@nestjs/common';
import { incidents as contract } from '@safecity/contracts';
import { AuditLog, RegionScope, UseCase, UseCaseHandler } from '@safecity/security';
import { InvalidError } from '@safecity/service-kit';
import { RegionTransaction } from '../../../access/region-transaction';
import { INCIDENTS_POLICIES as P } from '../../../incidents.policies';
import { OperationsCenterDirectory } from '../../../operations/operations-center.directory';
import { slaDeadlines } from '../../../operations/sla-policy';
import { categoryPriority } from '../../category-priority';
import { CategoryNames, PriorityNames } from '../../enum-names';
import { IncidentChangeLog } from '../../incident-change-log';
import { actorOf, incidentView, type IncidentView } from '../../incident.model';
import { INCIDENTS_OPTIONS, type IncidentsRules } from '../../incidents.options';
import { IncidentsRepository } from '../../incidents.repository';
import type { OpenIncident } from './open-incident.command';

const K = contract.IncidentChangeKind;
const OPERATOR = contract.IncidentSourceKind.INCIDENT_SOURCE_KIND_OPERATOR;

/**
 * An incident an operator opens in one of their regions: its SLA deadlines and operations center
 * are set as for any other, the operator is its first source, and it is announced and audited.
 */
@Injectable()
export class OpenIncidentUseCase extends UseCaseHandler<OpenIncident, IncidentView> {
  constructor(
    private readonly transaction: RegionTransaction,
    private readonly repository: IncidentsRepository,
    private readonly changes: IncidentChangeLog,
    private readonly audit: AuditLog,
    private readonly centers: OperationsCenterDirectory,
    @Inject(INCIDENTS_OPTIONS) private readonly rules: IncidentsRules,
  ) {
    super();
  }

  @UseCase(P.openIncident)
  async execute({ actor, incident: fields }: OpenIncident): Promise<IncidentView> {
    const scope = RegionScope.of(actor);
    if (!scope.includes(fields.regionCode)) {
      throw new InvalidError({
        field: 'regionCode',
        reason: `region ${fields.regionCode} is outside your regions`,
      });
    }
    const category = CategoryNames.fromName(fields.category)!;
    const priority = fields.priority ? PriorityNames.fromName(fields.priority)! : categoryPriority(category);
    const now = new Date();
    return this.transaction.run(scope, async (m) => {
      const incident = await this.repository.insert(m, {
        regionCode: fields.regionCode,
        districtCode: null,
        category,
        priority,
        sourceKind: OPERATOR,
        title: fields.title,
        description: fields.description ?? '',
        lat: fields.location.lat,
        lon: fields.location.lon,
        address: fields.address ?? '',
        cameraId: fields.cameraId ?? null,
        correlationKey: null,
        occurredAt: fields.occurredAt ? new Date(fields.occurredAt) : now,
        confidence: null,
        watchlistPriority: null,
        placeTags: [],
        requiredConfirmations: 1,
        visualCheckRequired: false,
        ...slaDeadlines(this.rules.sla, priority, now, category),
        operationsCenterId:
          this.centers.covering(fields.regionCode, fields.location.lat, fields.location.lon)?.id ?? null,
        openedBy: actor.subject,
      });
      await this.repository.addSource(m, incident.id, {
        kind: OPERATOR,
        refId: `operator:${incident.id}`,
        regionCode: incident.regionCode,
        cameraId: incident.cameraId,
        watchlistId: null,
        watchlistEntryId: null,
        lat: incident.lat,
        lon: incident.lon,
        observedAt: incident.occurredAt,
        confidence: null,
        media: [],
        details: { openedBy: actor.subject },
      });
      const sources = (await this.repository.sourcesOf(m, [incident.id])).get(incident.id) ?? [];
      await this.changes.record(m, [
        {
          kind: K.INCIDENT_CHANGE_KIND_CREATED,
          incident,
          sources,
          actor: actorOf(actor.kind, actor.subject),
        },
      ]);
      await this.audit.record(m, {
        actor,
        action: 'create',
        objectType: 'incident',
        objectId: incident.id,
        regionCode: incident.regionCode,
        details: { category: fields.category, source: 'operator' },
      });
      return incidentView(incident, sources.length);
    });
  }
}
