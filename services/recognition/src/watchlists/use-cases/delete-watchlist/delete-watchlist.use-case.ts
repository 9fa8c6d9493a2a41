import { Injectable } from '@nestjs/common';
import { RegionScope, UseCase, UseCaseHandler } from '@safecity/security';
import { RECOGNITION_POLICIES as P } from '../../../recognition.policies';
import { WatchlistChanges } from '../../watchlist-changes';
import { WatchlistsRepository } from '../../watchlists.repository';
import type { DeleteWatchlist } from './delete-watchlist.command';

/** Erases a list with every entry on it (and their templates), each erasure audited. */
@Injectable()
export class DeleteWatchlistUseCase extends UseCaseHandler<DeleteWatchlist, void> {
  constructor(
    private readonly lists: WatchlistsRepository,
    private readonly changes: WatchlistChanges,
  ) {
    super();
  }

  @UseCase(P.keepWatchlists)
  async execute({ actor, id, purpose }: DeleteWatchlist): Promise<void> {
    const scope = RegionScope.of(actor);
    await this.changes.change(scope, async (m) => {
      const list = await this.changes.listOf(m, scope, id);
      const entries = await this.lists.delete(m, list);
      const entryKind = list.kind === 'plate' ? 'plate-entry' : 'face-entry';
      await this.changes.changed(
        m,
        entryKind,
        entries.map((e) => e.id),
      );
      await this.changes.changed(m, 'watchlist', [id]);
      await this.changes.recordList(m, actor, 'erase', list, purpose, { entries: entries.length });
      // Each entry is personal data of its own: its erasure is traceable by the entry, as when
      // it is erased alone, not only through the list's summary.
      for (const entry of entries) {
        await this.changes.recordEntry(
          m,
          actor,
          'erase',
          list.kind,
          { ...entry, watchlistId: list.id },
          purpose,
          {
            withWatchlist: true,
          },
        );
      }
    });
  }
}
