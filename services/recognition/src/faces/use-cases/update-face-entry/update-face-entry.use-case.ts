import { Injectable } from '@nestjs/common';
import { RegionScope, UseCase, UseCaseHandler } from '@safecity/security';
import { RECOGNITION_POLICIES as P } from '../../../recognition.policies';
import { checkListingExpiry, checkMatchScope } from '../../../watchlists/watchlist';
import { WatchlistChanges } from '../../../watchlists/watchlist-changes';
import { FaceEnrolment } from '../../face-enrolment';
import { FaceWatchlistRepository, type FaceEntry } from '../../face-watchlist.repository';
import type { UpdateFaceEntry } from './update-face-entry.command';

/** A subject's legal basis, owner, regions or expiry. */
@Injectable()
export class UpdateFaceEntryUseCase extends UseCaseHandler<UpdateFaceEntry, FaceEntry> {
  constructor(
    private readonly entries: FaceWatchlistRepository,
    private readonly enrolment: FaceEnrolment,
    private readonly changes: WatchlistChanges,
  ) {
    super();
  }

  @UseCase(P.keepFaceEntries)
  async execute({ actor, id, fields }: UpdateFaceEntry): Promise<FaceEntry> {
    const scope = RegionScope.of(actor);
    if (fields.expiresAt) checkListingExpiry(fields.expiresAt);
    return this.changes.change(scope, async (m) => {
      const entry = await this.enrolment.entryOf(m, scope, id);
      const regions =
        fields.national || fields.regions
          ? checkMatchScope(scope, entry.regionCode, fields.national ? 'national' : fields.regions)
          : entry.regions === 'national'
            ? null
            : entry.regions;
      const updated = await this.entries.update(m, id, {
        legalBasis: fields.legalBasis ?? entry.legalBasis,
        owner: fields.owner ?? entry.owner,
        scopeRegions: regions,
        expiresAt: fields.expiresAt ?? entry.expiresAt,
      });
      await this.changes.changed(m, 'face-entry', [id]);
      await this.changes.recordEntry(m, actor, 'update', 'face', updated, 'watchlist administration', {
        fields: Object.keys(fields),
      });
      return updated;
    });
  }
}
