import { Injectable } from '@nestjs/common';
import { RegionScope, UseCase, UseCaseHandler } from '@safecity/security';
import { RECOGNITION_POLICIES as P } from '../../../recognition.policies';
import { WatchlistChanges } from '../../../watchlists/watchlist-changes';
import { plateEntryOf } from '../../plate-entries';
import { PlateHotlistRepository } from '../../plate-hotlist.repository';
import type { RemovePlateEntry } from './remove-plate-entry.command';

/** Erases a hotlist entry: it stops matching from the next change-feed pass. */
@Injectable()
export class RemovePlateEntryUseCase extends UseCaseHandler<RemovePlateEntry, void> {
  constructor(
    private readonly entries: PlateHotlistRepository,
    private readonly changes: WatchlistChanges,
  ) {
    super();
  }

  @UseCase(P.keepPlateEntries)
  async execute({ actor, id, purpose }: RemovePlateEntry): Promise<void> {
    const scope = RegionScope.of(actor);
    await this.changes.change(scope, async (m) => {
      const entry = await plateEntryOf(this.entries, m, scope, id);
      await this.entries.delete(m, id);
      await this.changes.changed(m, 'plate-entry', [id]);
      await this.changes.recordEntry(m, actor, 'erase', 'plate', entry, purpose);
    });
  }
}
