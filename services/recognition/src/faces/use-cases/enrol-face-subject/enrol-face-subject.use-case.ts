import { Injectable } from '@nestjs/common';
import { RegionScope, UseCase, UseCaseHandler } from '@safecity/security';
import { RECOGNITION_POLICIES as P } from '../../../recognition.policies';
import { WatchlistChanges } from '../../../watchlists/watchlist-changes';
import { FaceEnrolment, type FaceEntryView } from '../../face-enrolment';
import type { EnrolFaceSubject } from './enrol-face-subject.command';

/** A subject on a face watchlist with its templates, sealed, matched from the next change-feed pass. */
@Injectable()
export class EnrolFaceSubjectUseCase extends UseCaseHandler<EnrolFaceSubject, FaceEntryView> {
  constructor(
    private readonly enrolment: FaceEnrolment,
    private readonly changes: WatchlistChanges,
  ) {
    super();
  }

  @UseCase(P.keepFaceEntries)
  async execute({ actor, watchlistId, subject }: EnrolFaceSubject): Promise<FaceEntryView> {
    const scope = RegionScope.of(actor);
    this.enrolment.checkSubject(subject);
    return this.changes.change(scope, (m) => this.enrolment.enrol(m, scope, actor, watchlistId, subject));
  }
}
