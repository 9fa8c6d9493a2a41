import { Injectable } from '@nestjs/common';
import { RegionScope, UseCase, UseCaseHandler } from '@safecity/security';
import { RECOGNITION_POLICIES as P } from '../../../recognition.policies';
import { checkListingExpiry, checkMatchScope } from '../../../watchlists/watchlist';
import { WatchlistChanges } from '../../../watchlists/watchlist-changes';
import { plateEntryOf } from '../../plate-entries';
import { PlateHotlistRepository, type ListedPlate } from '../../plate-hotlist.repository';
import type { UpdatePlateEntry } from './update-plate-entry.command';

/** An entry's reason, priority, legal basis, owner, regions or expiry; the plate stays. */
@Injectable()
export class UpdatePlateEntryUseCase extends UseCaseHandler<UpdatePlateEntry, ListedPlate> {
  constructor(
    private readonly entries: PlateHotlistRepository,
    private readonly changes: WatchlistChanges,
  ) {
    super();
  }

  @UseCase(P.keepPlateEntries)
  async execute({ actor, id, fields }: UpdatePlateEntry): Promise<ListedPlate> {
    const scope = RegionScope.of(actor);
    if (fields.expiresAt) checkListingExpiry(fields.expiresAt);
    return this.changes.change(scope, async (m) => {
      const entry = await plateEntryOf(this.entries, m, scope, id);
      const regions =
        fields.national || fields.regions
          ? checkMatchScope(scope, entry.regionCode, fields.national ? 'national' : fields.regions)
          : entry.regions === 'national'
            ? null
            : [...entry.regions];
      const updated = await this.entries.update(m, id, {
        plate: entry.plate,
        country: fields.country ?? entry.country,
        reason: fields.reason ?? entry.reason,
        priority: fields.priority ?? entry.priority,
        legalBasis: fields.legalBasis ?? entry.legalBasis,
        owner: fields.owner ?? entry.owner,
        scopeRegions: regions,
        expiresAt: fields.expiresAt ?? entry.expiresAt,
      });
      await this.changes.changed(m, 'plate-entry', [id]);
      await this.changes.recordEntry(m, actor, 'update', 'plate', updated, 'hotlist administration', {
        fields: Object.keys(fields),
      });
      return updated;
    });
  }
}
