import { Injectable } from '@nestjs/common';
import { AuditLog, RegionScope, UseCase, UseCaseHandler } from '@safecity/security';
import { ForbiddenError } from '@safecity/service-kit';
import { RegionTransaction } from '../../../access/region-transaction';
import { INCIDENTS_POLICIES as P } from '../../../incidents.policies';
import { visibleSourceKinds } from '../../../live/visibility';
import { auditFaceMatchReads } from '../../face-match-reads';
import type { IncidentRecord, SourceRecord } from '../../incident.model';
import { IncidentsRepository, type ListCursor } from '../../incidents.repository';
import type { ListIncidents } from './list-incidents.command';

/** A page of incidents with their evidence; `next` is where the following page starts. */
export interface IncidentPage {
  incidents: IncidentRecord[];
  sources: Map<string, SourceRecord[]>;
  next: ListCursor | null;
}

/**
 * A page of the incidents the reader may see, newest first, with their evidence. A list is a
 * disclosure like a read: every face-match incident on the page is audited, in one insert.
 */
@Injectable()
export class ListIncidentsUseCase extends UseCaseHandler<ListIncidents, IncidentPage> {
  constructor(
    private readonly transaction: RegionTransaction,
    private readonly repository: IncidentsRepository,
    private readonly audit: AuditLog,
  ) {
    super();
  }

  @UseCase(P.listIncidents)
  async execute({
    actor,
    filter,
    limit,
    after,
    regionMustBeHeld,
    purpose,
  }: ListIncidents): Promise<IncidentPage> {
    const scope = RegionScope.of(actor);
    if (regionMustBeHeld && filter.regionCode !== undefined && !scope.includes(filter.regionCode))
      throw new ForbiddenError(`region ${filter.regionCode} is outside your scope`);
    const kinds = visibleSourceKinds(actor);
    return this.transaction.run(scope, async (m) => {
      const rows = await this.repository.list(
        m,
        { ...filter, visibleKinds: kinds ?? undefined },
        scope.all ? null : scope.regions,
        limit + 1,
        after,
      );
      const incidents = rows.slice(0, limit);
      const sources = await this.repository.sourcesOf(
        m,
        incidents.map((i) => i.id),
      );
      await auditFaceMatchReads(this.audit, m, { actor, purpose }, incidents, sources);
      const last = incidents.at(-1);
      return {
        incidents,
        sources,
        next:
          rows.length > limit && last
            ? { createdAt: new Date(last.createdAt).toISOString(), id: last.id }
            : null,
      };
    });
  }
}
