import { Injectable } from '@nestjs/common';
import { normalisePlate } from '@safecity/plates';
import { RegionScope, UseCase, UseCaseHandler } from '@safecity/security';
import { InvalidError } from '@safecity/service-kit';
import { randomUUID } from 'node:crypto';
import { RECOGNITION_POLICIES as P } from '../../../recognition.policies';
import { checkListingExpiry, checkMatchScope } from '../../../watchlists/watchlist';
import { WatchlistChanges } from '../../../watchlists/watchlist-changes';
import { PlateHotlistRepository, type ListedPlate } from '../../plate-hotlist.repository';
import type { AddPlateEntry } from './add-plate-entry.command';

/** A plate on a hotlist until its expiry, matched from the next change-feed pass. */
@Injectable()
export class AddPlateEntryUseCase extends UseCaseHandler<AddPlateEntry, ListedPlate> {
  constructor(
    private readonly entries: PlateHotlistRepository,
    private readonly changes: WatchlistChanges,
  ) {
    super();
  }

  @UseCase(P.keepPlateEntries)
  async execute({ actor, watchlistId, entry: fields }: AddPlateEntry): Promise<ListedPlate> {
    const scope = RegionScope.of(actor);
    const plate = normalisePlate(fields.plate);
    if (plate === undefined)
      throw new InvalidError({ field: 'plate', reason: 'must be 2–12 letters and digits' });
    checkListingExpiry(fields.expiresAt);
    return this.changes.change(scope, async (m) => {
      const list = await this.changes.listOf(m, scope, watchlistId, 'plate');
      const entry = await this.entries.insert(m, {
        id: randomUUID(),
        watchlistId: list.id,
        regionCode: list.regionCode,
        plate,
        country: fields.country ?? '',
        reason: fields.reason,
        priority: fields.priority,
        legalBasis: fields.legalBasis,
        owner: fields.owner,
        scopeRegions: checkMatchScope(scope, list.regionCode, fields.national ? 'national' : fields.regions),
        expiresAt: fields.expiresAt,
        createdBy: actor.subject,
      });
      await this.changes.changed(m, 'plate-entry', [entry.id]);
      await this.changes.recordEntry(m, actor, 'create', 'plate', entry, 'hotlist administration');
      return entry;
    });
  }
}
