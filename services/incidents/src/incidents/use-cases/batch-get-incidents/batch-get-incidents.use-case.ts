import { Injectable } from '@nestjs/common';
import { AuditLog, RegionAccess, RegionScope, UseCase, UseCaseHandler } from '@safecity/security';
import { INCIDENTS_POLICIES as P } from '../../../incidents.policies';
import { isVisibleIncident, visibleSourceKinds } from '../../../live/visibility';
import { auditFaceMatchReads } from '../../face-match-reads';
import type { IncidentRecord, SourceRecord } from '../../incident.model';
import { IncidentsRepository } from '../../incidents.repository';
import type { BatchGetIncidents } from './batch-get-incidents.command';

export interface IncidentBatch {
  /** Those found and visible to the caller, in the order asked. */
  incidents: IncidentRecord[];
  sources: Map<string, SourceRecord[]>;
}

/**
 * Incidents by id, in the order asked, with their evidence; those the reader may not see are left
 * out. Every one with a face match is a disclosure, audited.
 */
@Injectable()
export class BatchGetIncidentsUseCase extends UseCaseHandler<BatchGetIncidents, IncidentBatch> {
  constructor(
    private readonly transaction: RegionAccess,
    private readonly repository: IncidentsRepository,
    private readonly audit: AuditLog,
  ) {
    super();
  }

  @UseCase(P.getIncident)
  async execute({ actor, ids, purpose }: BatchGetIncidents): Promise<IncidentBatch> {
    const scope = RegionScope.of(actor);
    const kinds = visibleSourceKinds(actor);
    return this.transaction.run(scope, async (m) => {
      const rows = (await this.repository.findByIds(m, ids)).filter((i) =>
        isVisibleIncident(i, scope, kinds),
      );
      const sources = await this.repository.sourcesOf(
        m,
        rows.map((i) => i.id),
      );
      await auditFaceMatchReads(this.audit, m, { actor, purpose }, rows, sources);
      const byId = new Map(rows.map((i) => [i.id, i]));
      return { incidents: ids.flatMap((id) => byId.get(id) ?? []), sources };
    });
  }
}
