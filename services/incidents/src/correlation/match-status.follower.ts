import { Injectable } from '@nestjs/common';
import { incidents as contract, recognition } from '@safecity/contracts';
import type { EntityManager } from 'typeorm';
import { IncidentChangeLog } from '../incidents/incident-change-log';
import { actorOf } from '../incidents/incident.model';
import { IncidentsRepository } from '../incidents/incidents.repository';

const K = contract.IncidentSourceKind;

/**
 * Recognition's verdicts on a match (confirmed, rejected, expired) are shown on the source of the
 * incident it led to. They inform the operator; they never move the incident by themselves.
 */
@Injectable()
export class MatchStatusFollower {
  constructor(
    private readonly incidents: IncidentsRepository,
    private readonly changes: IncidentChangeLog,
  ) {}

  async apply(m: EntityManager, statuses: recognition.MatchStatusChanged[]): Promise<void> {
    if (statuses.length === 0) return;
    const touched = new Set<string>();
    for (const status of statuses) {
      const kind =
        status.kind === recognition.MatchKind.MATCH_KIND_FACE
          ? K.INCIDENT_SOURCE_KIND_FACE_MATCH
          : K.INCIDENT_SOURCE_KIND_PLATE_MATCH;
      const rows = (await m.query(
        `UPDATE incident_sources SET details = details || jsonb_build_object('matchStatus', $3::text,
           'confirmations', $4::int, 'requiredConfirmations', $5::int)
         WHERE kind = $1 AND ref_id = $2 RETURNING incident_id AS "incidentId"`,
        [
          kind,
          status.matchId,
          recognition.MatchStatus[status.status]?.replace('MATCH_STATUS_', '').toLowerCase() ?? 'unspecified',
          status.confirmations,
          status.requiredConfirmations,
        ],
      )) as [{ incidentId: string }[], number];
      for (const row of rows[0]) touched.add(row.incidentId);
    }
    if (touched.size === 0) return;
    const ids = [...touched];
    for (const id of ids) await this.incidents.bumpVersion(m, id);
    const incidents = await this.incidents.findByIds(m, ids);
    const sources = await this.incidents.sourcesOf(m, ids);
    await this.changes.record(
      m,
      incidents.map((incident) => ({
        kind: contract.IncidentChangeKind.INCIDENT_CHANGE_KIND_UPDATED,
        incident,
        sources: sources.get(incident.id) ?? [],
        actor: actorOf('service', 'incidents'),
        reason: 'match status changed',
      })),
    );
  }
}
