import { Injectable } from '@nestjs/common';
import { RegionAccess, RegionScope, UseCase, UseCaseHandler } from '@safecity/security';
import { decodeCursor, encodeCursor, ForbiddenError } from '@safecity/service-kit';
import type { SubjectKind } from '../../../domain/vocabulary';
import { PREVENTION_POLICIES as P } from '../../../prevention.policies';
import { CaseAudit, requiredPurpose } from '../../case-audit';
import { CasesRepository, type CaseDetails, type CaseRow, type MeasureRow } from '../../cases.repository';
import type { ListCases } from './list-cases.command';

export interface ListedCase {
  row: CaseRow & { subjectKind: SubjectKind };
  measures: MeasureRow[];
  /** Everything hanging off the case, when it was disclosed (and its read recorded). */
  details?: CaseDetails;
}

export interface CasePage {
  items: ListedCase[];
  nextCursor: string | null;
}

/**
 * A page of the cases of the caller's regions, newest first, with people and families by
 * reference only. Disclosed to another service, every case read is audited with its purpose.
 */
@Injectable()
export class ListCasesUseCase extends UseCaseHandler<ListCases, CasePage> {
  constructor(
    private readonly cases: CasesRepository,
    private readonly access: RegionAccess,
    private readonly audit: CaseAudit,
  ) {
    super();
  }

  @UseCase(P.listCases)
  async execute({ actor, filter, limit = 50, cursor, disclosedFor }: ListCases): Promise<CasePage> {
    const scope = RegionScope.of(actor);
    const purpose =
      disclosedFor === undefined
        ? undefined
        : requiredPurpose(disclosedFor, 'why the cases are read, 5 to 300 characters');
    // Disclosures name their region, and only the caller's own.
    if (purpose && !(filter.regionCode && scope.includes(filter.regionCode))) {
      throw new ForbiddenError(`region_code: region ${filter.regionCode} is outside your regions`);
    }
    const after = decodeCursor(cursor, { openedAt: 'timestamp', id: 'uuid' });
    return this.access.run(scope, async (m) => {
      const rows = await this.cases.list(m, { ...filter, after, limit: limit + 1 }, scope);
      const page = rows.slice(0, limit);
      const items: ListedCase[] = [];
      if (purpose) {
        for (const row of page) {
          const details = await this.cases.details(m, row);
          await this.audit.caseDisclosed(m, actor, row, purpose);
          items.push({ row, measures: details.measures, details });
        }
      } else {
        const measures = await this.cases.measuresOf(
          m,
          page.map((r) => r.id),
        );
        for (const row of page) items.push({ row, measures: measures.filter((x) => x.caseId === row.id) });
      }
      const last = page[page.length - 1];
      return {
        items,
        nextCursor:
          rows.length > limit && last
            ? encodeCursor({ openedAt: last.openedAt.toISOString(), id: last.id })
            : null,
      };
    });
  }
}
