import { Injectable } from '@nestjs/common';
import { UseCase, UseCaseHandler } from '@safecity/security';
import { PREVENTION_POLICIES as P } from '../../../prevention.policies';
import { CaseChanges, ChangeKind, refuseIfClosed } from '../../case-changes';
import { addDays } from '../../case-rules';
import type { CaseView } from '../../case-view';
import { CasesRepository } from '../../cases.repository';
import type { RecordReview } from './record-review.command';

/** Records the review that was due (or flagged) and schedules the next one. */
@Injectable()
export class RecordReviewUseCase extends UseCaseHandler<RecordReview, CaseView> {
  constructor(
    private readonly cases: CasesRepository,
    private readonly changes: CaseChanges,
  ) {
    super();
  }

  @UseCase(P.workOnCase)
  async execute({ actor, id, review, purpose }: RecordReview): Promise<CaseView> {
    return this.changes.change(
      id,
      actor,
      async (m, row) => {
        refuseIfClosed(row, 'a closed case has no reviews');
        const now = new Date();
        const nextReviewAt = addDays(now, row.reviewIntervalDays);
        await this.cases.insertReview(m, row, {
          dueAt:
            row.reviewFlaggedAt && row.reviewFlaggedAt < row.nextReviewAt
              ? row.reviewFlaggedAt
              : row.nextReviewAt,
          reviewedBy: actor.subject,
          conclusion: review.conclusion,
          nextReviewAt,
        });
        const updated = await this.cases.updateCase(m, row.id, {
          nextReviewAt,
          reviewFlaggedAt: null,
          reviewFlagReason: null,
        });
        await this.cases.addTimeline(m, updated, {
          kind: 'reviewed',
          actor: actor.subject,
          details: { nextReviewAt },
        });
        return { row: updated, kind: ChangeKind.PREVENTION_CASE_CHANGE_KIND_UPDATED };
      },
      purpose,
    );
  }
}
