import { Injectable } from '@nestjs/common';
import { incidents as contract, recognition } from '@safecity/contracts';
import type { Principal } from '@safecity/security';
import type { EntityManager } from 'typeorm';
import { IncidentChangeLog } from '../incidents/incident-change-log';
import { actorOf } from '../incidents/incident.model';
import { IncidentsRepository } from '../incidents/incidents.repository';
import { TransitionRecord } from '../lifecycle/transition-record';

const K = contract.IncidentSourceKind;
const S = contract.IncidentState;

/** Incidents itself, moving an incident on recognition's verdict (history, feed and audit). */
const FOLLOWER: Principal = {
  kind: 'service',
  subject: 'service:incidents',
  roles: ['service'],
  regions: 'all',
};

/**
 * Recognition's verdicts on a match (confirmed, rejected, expired) are shown on the source of the
 * incident it led to. A face match is confirmed once, in recognition, by two different people
 * wherever each of them confirmed it: each confirmation is listed on its incidents, and a
 * confirmed face match verifies a new face-match incident. Other verdicts inform the operator and
 * never move an incident by themselves.
 */
@Injectable()
export class MatchStatusFollower {
  constructor(
    private readonly incidents: IncidentsRepository,
    private readonly changes: IncidentChangeLog,
    private readonly transitions: TransitionRecord,
  ) {}

  async apply(m: EntityManager, statuses: recognition.MatchStatusChanged[]): Promise<void> {
    if (statuses.length === 0) return;
    const touched = new Set<string>();
    const confirmations: { incidentId: string; actor: string }[] = [];
    const verifiedBy = new Map<string, recognition.MatchStatusChanged>();
    for (const status of statuses) {
      const face = status.kind === recognition.MatchKind.MATCH_KIND_FACE;
      const rows = (await m.query(
        `UPDATE incident_sources SET details = details || jsonb_build_object('matchStatus', $3::text,
           'confirmations', $4::int, 'requiredConfirmations', $5::int)
         WHERE kind = $1 AND ref_id = $2 RETURNING incident_id AS "incidentId"`,
        [
          face ? K.INCIDENT_SOURCE_KIND_FACE_MATCH : K.INCIDENT_SOURCE_KIND_PLATE_MATCH,
          status.matchId,
          recognition.MatchStatus[status.status]?.replace('MATCH_STATUS_', '').toLowerCase() ?? 'unspecified',
          status.confirmations,
          status.requiredConfirmations,
        ],
      )) as [{ incidentId: string }[], number];
      for (const row of rows[0]) {
        touched.add(row.incidentId);
        if (!face) continue;
        const verification = status.verification;
        if (
          verification?.actor?.id &&
          verification.verdict === recognition.VerificationVerdict.VERIFICATION_VERDICT_CONFIRMED
        ) {
          confirmations.push({ incidentId: row.incidentId, actor: verification.actor.id });
        }
        if (status.status === recognition.MatchStatus.MATCH_STATUS_CONFIRMED) {
          verifiedBy.set(row.incidentId, status);
        }
      }
    }
    if (touched.size === 0) return;
    const ids = [...touched];
    const before = new Map((await this.incidents.findByIds(m, ids)).map((i) => [i.id, i]));
    for (const { incidentId, actor } of confirmations) {
      const incident = before.get(incidentId);
      if (incident)
        await this.incidents.addConfirmation(m, incident, actor, { comment: 'confirmed in recognition' });
    }
    const verifying = ids.filter(
      (id) => verifiedBy.has(id) && before.get(id)?.state === S.INCIDENT_STATE_NEW,
    );
    for (const id of ids) if (!verifying.includes(id)) await this.incidents.bumpVersion(m, id);
    for (const id of verifying) {
      const status = verifiedBy.get(id)!;
      const after = await this.incidents.applyTransition(
        m,
        id,
        S.INCIDENT_STATE_VERIFIED,
        before.get(id)!.resolution,
      );
      await this.transitions.write(
        m,
        before.get(id)!,
        after,
        FOLLOWER,
        `face match ${status.matchId} confirmed by ${status.confirmations} people in recognition`,
      );
    }
    const updated = ids.filter((id) => !verifying.includes(id));
    if (updated.length === 0) return;
    const incidents = await this.incidents.findByIds(m, updated);
    const sources = await this.incidents.sourcesOf(m, updated);
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
