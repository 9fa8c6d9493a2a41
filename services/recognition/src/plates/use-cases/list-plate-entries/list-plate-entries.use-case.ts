import { Injectable } from '@nestjs/common';
import { RegionScope, UseCase, UseCaseHandler } from '@safecity/security';
import { decodeCursor, encodeCursor, type Page } from '@safecity/service-kit';
import { RECOGNITION_POLICIES as P } from '../../../recognition.policies';
import { regionsOf, WatchlistChanges } from '../../../watchlists/watchlist-changes';
import { PlateHotlistRepository, type ListedPlate } from '../../plate-hotlist.repository';
import type { ListPlateEntries } from './list-plate-entries.command';

/** A page of a hotlist's entries; every entry on it is a read, audited. */
@Injectable()
export class ListPlateEntriesUseCase extends UseCaseHandler<ListPlateEntries, Page<ListedPlate>> {
  constructor(
    private readonly entries: PlateHotlistRepository,
    private readonly changes: WatchlistChanges,
  ) {
    super();
  }

  @UseCase(P.readPlateEntries)
  async execute({ actor, watchlistId, query, purpose }: ListPlateEntries): Promise<Page<ListedPlate>> {
    const scope = RegionScope.of(actor);
    const limit = query.limit ?? 100;
    const after = decodeCursor(query.cursor, { id: 'uuid' });
    return this.changes.read(scope, async (m) => {
      const list = await this.changes.listOf(m, scope, watchlistId, 'plate');
      const rows = await this.entries.listOf(m, regionsOf(scope), list.id, after?.id, limit + 1);
      const items = rows.slice(0, limit);
      for (const entry of items) await this.changes.recordEntry(m, actor, 'read', 'plate', entry, purpose);
      return {
        items,
        nextCursor: rows.length > limit ? encodeCursor({ id: items[items.length - 1].id }) : null,
      };
    });
  }
}
