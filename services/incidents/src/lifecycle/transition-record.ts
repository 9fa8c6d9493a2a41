import { Injectable } from '@nestjs/common';
import { incidents as contract } from '@safecity/contracts';
import { AuditLog, type Principal } from '@safecity/security';
import type { EntityManager } from 'typeorm';
import { ResolutionNames, StateNames } from '../incidents/enum-names';
import { IncidentChangeLog } from '../incidents/incident-change-log';
import { actorOf, incidentView, type IncidentRecord } from '../incidents/incident.model';
import { IncidentsRepository } from '../incidents/incidents.repository';

/**
 * What every applied step of the lifecycle leaves behind, whoever took it (a person, or recognition's
 * verdict on a face match): the history entry, the change on the feed and `safecity.incidents.v1`,
 * and the audit record, in the transaction that applied it.
 */
@Injectable()
export class TransitionRecord {
  constructor(
    private readonly repository: IncidentsRepository,
    private readonly changes: IncidentChangeLog,
    private readonly audit: AuditLog,
  ) {}

  async write(
    m: EntityManager,
    before: IncidentRecord,
    after: IncidentRecord,
    actor: Principal,
    reason: string,
    auditDetails: Record<string, unknown> = {},
  ) {
    await this.repository.recordHistory(m, {
      incidentId: after.id,
      regionCode: after.regionCode,
      from: before.state,
      to: after.state,
      actorSubject: actor.subject,
      actorKind: actor.kind,
      reason,
      resolution: after.resolution,
    });
    const sources = (await this.repository.sourcesOf(m, [after.id])).get(after.id) ?? [];
    await this.changes.record(m, [
      {
        kind: contract.IncidentChangeKind.INCIDENT_CHANGE_KIND_STATE_CHANGED,
        incident: after,
        sources,
        previousState: before.state,
        actor: actorOf(actor.kind, actor.subject),
        reason,
      },
    ]);
    await this.audit.record(m, {
      actor,
      action: 'update',
      objectType: 'incident',
      objectId: after.id,
      regionCode: after.regionCode,
      details: {
        from: StateNames.toName(before.state),
        to: StateNames.toName(after.state),
        reason,
        resolution: after.resolution ? ResolutionNames.toName(after.resolution) : null,
        ...auditDetails,
      },
    });
    return incidentView(after, sources.length);
  }
}
