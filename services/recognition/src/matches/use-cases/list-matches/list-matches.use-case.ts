import { Injectable } from '@nestjs/common';
import { RegionScope, UseCase, UseCaseHandler } from '@safecity/security';
import { RECOGNITION_POLICIES as P } from '../../../recognition.policies';
import { regionsOf } from '../../../watchlists/watchlist-changes';
import type { MatchMessage } from '../../match-messages';
import { MatchViews } from '../../match-views';
import { MatchesRepository } from '../../matches.repository';
import type { ListMatches, MatchPage } from './list-matches.command';

/** A page of matches of the caller's regions, newest first; each match on it is a view, audited. */
@Injectable()
export class ListMatchesUseCase extends UseCaseHandler<ListMatches, MatchPage<MatchMessage>> {
  constructor(
    private readonly matches: MatchesRepository,
    private readonly views: MatchViews,
  ) {
    super();
  }

  @UseCase(P.listMatches)
  async execute({ actor, filter, purpose }: ListMatches): Promise<MatchPage<MatchMessage>> {
    const scope = RegionScope.of(actor);
    if (filter.regionCode && !scope.includes(filter.regionCode)) return { items: [], next: null };
    return this.views.inScope(scope, async (m) => {
      const rows = await this.matches.list(m, {
        ...filter,
        regions: regionsOf(scope),
        limit: filter.limit + 1,
      });
      const page = rows.slice(0, filter.limit);
      const items = await this.views.withVerifications(m, page);
      for (const message of items) await this.views.recordView(m, actor, message, purpose);
      const last = page[page.length - 1];
      return {
        items,
        next: rows.length > filter.limit ? { matchedAt: last.matchedAt.toISOString(), id: last.id } : null,
      };
    });
  }
}
