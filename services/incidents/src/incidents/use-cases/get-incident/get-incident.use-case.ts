import { Injectable } from '@nestjs/common';
import { AuditLog, RegionAccess, RegionScope, UseCase, UseCaseHandler } from '@safecity/security';
import { NotFoundError } from '@safecity/service-kit';
import { INCIDENTS_POLICIES as P } from '../../../incidents.policies';
import { isVisibleIncident, visibleSourceKinds } from '../../../live/visibility';
import { auditFaceMatchReads } from '../../face-match-reads';
import type { IncidentDetail } from '../../incident.model';
import { IncidentsRepository } from '../../incidents.repository';
import type { GetIncident } from './get-incident.command';

/**
 * One incident with its evidence, history and confirmations, for a reader whose roles may see
 * what led to it (others, and other regions, are answered as if it did not exist). A read of an
 * incident with a face match is audited.
 */
@Injectable()
export class GetIncidentUseCase extends UseCaseHandler<GetIncident, IncidentDetail> {
  constructor(
    private readonly transaction: RegionAccess,
    private readonly repository: IncidentsRepository,
    private readonly audit: AuditLog,
  ) {
    super();
  }

  @UseCase(P.getIncident)
  async execute({ actor, id, purpose }: GetIncident): Promise<IncidentDetail> {
    const scope = RegionScope.of(actor);
    const kinds = visibleSourceKinds(actor);
    return this.transaction.run(scope, async (m) => {
      const incident = await this.repository.findById(m, id);
      if (!incident || !isVisibleIncident(incident, scope, kinds))
        throw new NotFoundError(`incident ${id} not found`);
      const sourcesById = await this.repository.sourcesOf(m, [id]);
      await auditFaceMatchReads(this.audit, m, { actor, purpose }, [incident], sourcesById);
      return {
        incident,
        sources: sourcesById.get(id) ?? [],
        history: await this.repository.history(m, id),
        confirmations: await this.repository.confirmations(m, id),
      };
    });
  }
}
