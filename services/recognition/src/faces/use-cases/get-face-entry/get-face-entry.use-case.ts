import { Injectable } from '@nestjs/common';
import { RegionScope, UseCase, UseCaseHandler } from '@safecity/security';
import { RECOGNITION_POLICIES as P } from '../../../recognition.policies';
import { WatchlistChanges } from '../../../watchlists/watchlist-changes';
import { FaceEnrolment, type FaceEntryView } from '../../face-enrolment';
import { FaceWatchlistRepository } from '../../face-watchlist.repository';
import type { GetFaceEntry } from './get-face-entry.command';

/** One subject with what is shown of its templates, its read audited. */
@Injectable()
export class GetFaceEntryUseCase extends UseCaseHandler<GetFaceEntry, FaceEntryView> {
  constructor(
    private readonly entries: FaceWatchlistRepository,
    private readonly enrolment: FaceEnrolment,
    private readonly changes: WatchlistChanges,
  ) {
    super();
  }

  @UseCase(P.readFaceEntries)
  async execute({ actor, id, purpose }: GetFaceEntry): Promise<FaceEntryView> {
    const scope = RegionScope.of(actor);
    return this.changes.read(scope, async (m) => {
      const entry = await this.enrolment.entryOf(m, scope, id);
      await this.changes.recordEntry(m, actor, 'read', 'face', entry, purpose);
      return { ...entry, templates: await this.entries.templateInfo(m, [id]) };
    });
  }
}
