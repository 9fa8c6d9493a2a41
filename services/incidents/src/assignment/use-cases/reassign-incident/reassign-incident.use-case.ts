import { Injectable } from '@nestjs/common';
import { incidents as contract } from '@safecity/contracts';
import { AuditLog, RegionScope, UseCase, UseCaseHandler } from '@safecity/security';
import { ConflictError, InvalidError, NotFoundError } from '@safecity/service-kit';
import { RegionTransaction } from '../../../access/region-transaction';
import { INCIDENTS_POLICIES as P } from '../../../incidents.policies';
import { IncidentChangeLog } from '../../../incidents/incident-change-log';
import { actorOf, incidentView, type IncidentView } from '../../../incidents/incident.model';
import { IncidentsRepository } from '../../../incidents/incidents.repository';
import { OperationsCenterDirectory } from '../../../operations/operations-center.directory';
import { checkReassignment, type Assignment } from '../../reassignment';
import type { ReassignIncident } from './reassign-incident.command';

/**
 * A supervisor hands an incident to another operator or operations center. The handover is one
 * transaction: the incident's assignment, its change on the live stream and `safecity.incidents.v1`
 * (through the outbox), and an audit record naming the supervisor, the reason and both assignments.
 */
@Injectable()
export class ReassignIncidentUseCase extends UseCaseHandler<ReassignIncident, IncidentView> {
  constructor(
    private readonly transaction: RegionTransaction,
    private readonly repository: IncidentsRepository,
    private readonly changes: IncidentChangeLog,
    private readonly centers: OperationsCenterDirectory,
    private readonly audit: AuditLog,
  ) {
    super();
  }

  @UseCase(P.reassignIncident)
  async execute({ actor, id, handover: dto }: ReassignIncident): Promise<IncidentView> {
    const scope = RegionScope.of(actor);
    return this.transaction.run(scope, async (m) => {
      const incident = await this.repository.findById(m, id, true);
      if (!incident || !scope.includes(incident.regionCode))
        throw new NotFoundError(`incident ${id} not found`);
      if (dto.expectedVersion !== undefined && dto.expectedVersion !== incident.version) {
        throw new ConflictError(`incident is at version ${incident.version}, not ${dto.expectedVersion}`, {
          field: 'expectedVersion',
        });
      }
      const before: Assignment = {
        assigneeId: incident.assigneeId,
        operationsCenterId: incident.operationsCenterId,
      };
      const check = checkReassignment(
        incident.state,
        before,
        dto,
        this.centers.list(incident.regionCode).map((c) => c.id),
      );
      if (!check.ok && check.kind === 'conflict')
        throw new ConflictError(check.message, { field: check.field });
      if (!check.ok) throw new InvalidError({ field: check.field, reason: check.message });
      const after = await this.repository.reassign(m, id, check.next);
      const reason = dto.reason.trim();
      const sources = (await this.repository.sourcesOf(m, [id])).get(id) ?? [];
      await this.changes.record(m, [
        {
          kind: contract.IncidentChangeKind.INCIDENT_CHANGE_KIND_UPDATED,
          incident: after,
          sources,
          actor: actorOf(actor.kind, actor.subject),
          reason: `reassigned: ${reason}`,
        },
      ]);
      await this.audit.record(m, {
        actor,
        action: 'update',
        objectType: 'incident',
        objectId: id,
        regionCode: incident.regionCode,
        details: { reassigned: { from: before, to: check.next }, reason },
      });
      return incidentView(after, sources.length);
    });
  }
}
