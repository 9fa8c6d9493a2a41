import { Injectable } from '@nestjs/common';
import { RegionScope, UseCase, UseCaseHandler } from '@safecity/security';
import { RECOGNITION_POLICIES as P } from '../../../recognition.policies';
import { WatchlistChanges } from '../../../watchlists/watchlist-changes';
import { plateEntryOf } from '../../plate-entries';
import { PlateHotlistRepository, type ListedPlate } from '../../plate-hotlist.repository';
import type { GetPlateEntry } from './get-plate-entry.command';

/** One hotlist entry, its read audited. */
@Injectable()
export class GetPlateEntryUseCase extends UseCaseHandler<GetPlateEntry, ListedPlate> {
  constructor(
    private readonly entries: PlateHotlistRepository,
    private readonly changes: WatchlistChanges,
  ) {
    super();
  }

  @UseCase(P.readPlateEntries)
  async execute({ actor, id, purpose }: GetPlateEntry): Promise<ListedPlate> {
    const scope = RegionScope.of(actor);
    return this.changes.read(scope, async (m) => {
      const entry = await plateEntryOf(this.entries, m, scope, id);
      await this.changes.recordEntry(m, actor, 'read', 'plate', entry, purpose);
      return entry;
    });
  }
}
