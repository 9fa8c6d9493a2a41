import { Injectable } from '@nestjs/common';
import { RegionScope, UseCase, UseCaseHandler } from '@safecity/security';
import { decodeCursor, encodeCursor, type Page } from '@safecity/service-kit';
import { RECOGNITION_POLICIES as P } from '../../../recognition.policies';
import type { Watchlist } from '../../watchlist';
import { regionsOf, WatchlistChanges } from '../../watchlist-changes';
import { WatchlistsRepository } from '../../watchlists.repository';
import type { ListWatchlists } from './list-watchlists.command';

/** A page of the watchlists of the caller's regions, by id. */
@Injectable()
export class ListWatchlistsUseCase extends UseCaseHandler<ListWatchlists, Page<Watchlist>> {
  constructor(
    private readonly lists: WatchlistsRepository,
    private readonly changes: WatchlistChanges,
  ) {
    super();
  }

  @UseCase(P.readWatchlists)
  async execute({ actor, query }: ListWatchlists): Promise<Page<Watchlist>> {
    const scope = RegionScope.of(actor);
    const limit = query.limit ?? 100;
    const after = decodeCursor(query.cursor, { id: 'uuid' });
    const rows = await this.changes.read(scope, (m) =>
      this.lists.list(m, regionsOf(scope), query.kind, after?.id, limit + 1),
    );
    const items = rows.slice(0, limit);
    return {
      items,
      nextCursor: rows.length > limit ? encodeCursor({ id: items[items.length - 1].id }) : null,
    };
  }
}
