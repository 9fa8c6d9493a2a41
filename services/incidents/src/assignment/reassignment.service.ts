import { Injectable, NotFoundException } from '@nestjs/common';
import { incidents as contract } from '@safecity/contracts';
import { AuditLog, RegionScope, UseCase, type Principal } from '@safecity/security';
import { ConflictFieldException, UnprocessableFieldException } from '@safecity/service-kit';
import { IncidentChangeLog } from '../incidents/incident-change-log';
import { actorOf, incidentView } from '../incidents/incident.model';
import { IncidentsRepository } from '../incidents/incidents.repository';
import { INCIDENTS_POLICIES as P } from '../incidents.policies';
import { IncidentsService } from '../incidents/incidents.service';
import { OperationsCenterDirectory } from '../operations/operations-center.directory';
import type { ReassignmentDto } from './reassignment.dto';
import { checkReassignment, type Assignment } from './reassignment';

/**
 * A supervisor hands an incident to another operator or operations center. The handover is one
 * transaction: the incident's assignment, its change on the live stream and `safecity.incidents.v1`
 * (through the outbox), and an audit record naming the supervisor, the reason and both assignments.
 */
@Injectable()
export class ReassignmentService {
  constructor(
    private readonly incidents: IncidentsService,
    private readonly repository: IncidentsRepository,
    private readonly changes: IncidentChangeLog,
    private readonly centers: OperationsCenterDirectory,
    private readonly audit: AuditLog,
  ) {}

  @UseCase(P.reassignIncident)
  async reassign(id: string, dto: ReassignmentDto, actor: Principal) {
    const scope = RegionScope.of(actor);
    return this.incidents.inScope(scope, async (m) => {
      const incident = await this.repository.findById(m, id, true);
      if (!incident || !scope.includes(incident.regionCode)) {
        throw new NotFoundException(`incident ${id} not found`);
      }
      if (dto.expectedVersion !== undefined && dto.expectedVersion !== incident.version) {
        throw new ConflictFieldException(
          'expectedVersion',
          `incident is at version ${incident.version}, not ${dto.expectedVersion}`,
        );
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
        throw new ConflictFieldException(check.field, check.message);
      if (!check.ok) throw new UnprocessableFieldException(check.field, check.message);
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
