import { Injectable } from '@nestjs/common';
import { RegionAccess, RegionScope, UseCase, UseCaseHandler } from '@safecity/security';
import { PREVENTION_POLICIES as P } from '../../../prevention.policies';
import { CasesRepository, type DueReviewRow } from '../../cases.repository';
import type { ListDueReviews } from './list-due-reviews.command';

/** Open cases whose review is due or was flagged, for the officers' work list. */
@Injectable()
export class ListDueReviewsUseCase extends UseCaseHandler<
  ListDueReviews,
  { count: number; items: DueReviewRow[] }
> {
  constructor(
    private readonly cases: CasesRepository,
    private readonly access: RegionAccess,
  ) {
    super();
  }

  @UseCase(P.readDueWork)
  async execute({ actor, regionCode }: ListDueReviews) {
    const scope = RegionScope.of(actor);
    const rows = await this.access.run(scope, (m) => this.cases.dueReviews(m, scope, regionCode, new Date()));
    return { count: rows.length, items: rows };
  }
}
