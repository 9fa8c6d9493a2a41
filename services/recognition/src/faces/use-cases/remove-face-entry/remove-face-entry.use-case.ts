import { Injectable } from '@nestjs/common';
import { RegionScope, UseCase, UseCaseHandler } from '@safecity/security';
import { RECOGNITION_POLICIES as P } from '../../../recognition.policies';
import { WatchlistChanges } from '../../../watchlists/watchlist-changes';
import { FaceEnrolment } from '../../face-enrolment';
import { FaceWatchlistRepository } from '../../face-watchlist.repository';
import type { RemoveFaceEntry } from './remove-face-entry.command';

/** Erases the subject with every enrolled template and kept photo. */
@Injectable()
export class RemoveFaceEntryUseCase extends UseCaseHandler<RemoveFaceEntry, void> {
  constructor(
    private readonly entries: FaceWatchlistRepository,
    private readonly enrolment: FaceEnrolment,
    private readonly changes: WatchlistChanges,
  ) {
    super();
  }

  @UseCase(P.keepFaceEntries)
  async execute({ actor, id, purpose }: RemoveFaceEntry): Promise<void> {
    const scope = RegionScope.of(actor);
    await this.changes.change(scope, async (m) => {
      const entry = await this.enrolment.entryOf(m, scope, id);
      await this.entries.delete(m, id);
      await this.changes.changed(m, 'face-entry', [id]);
      await this.changes.recordEntry(m, actor, 'erase', 'face', entry, purpose);
    });
  }
}
