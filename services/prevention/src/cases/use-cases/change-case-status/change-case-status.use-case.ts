import { Injectable } from '@nestjs/common';
import { UseCase, UseCaseHandler } from '@safecity/security';
import { UnprocessableFieldException } from '@safecity/service-kit';
import { PREVENTION_POLICIES as P } from '../../../prevention.policies';
import { CaseChanges, ChangeKind } from '../../case-changes';
import { transitionProblem } from '../../case-rules';
import type { CaseView } from '../../case-view';
import { CasesRepository } from '../../cases.repository';
import type { ChangeCaseStatus } from './change-case-status.command';

/**
 * Moves the case along open → active → monitoring → closed (back to active on a recurrence);
 * active needs a professional's risk level, closing needs the outcome.
 */
@Injectable()
export class ChangeCaseStatusUseCase extends UseCaseHandler<ChangeCaseStatus, CaseView> {
  constructor(
    private readonly cases: CasesRepository,
    private readonly changes: CaseChanges,
  ) {
    super();
  }

  @UseCase(P.steerCase)
  async execute({ actor, id, change, purpose }: ChangeCaseStatus): Promise<CaseView> {
    return this.changes.change(
      id,
      actor,
      async (m, row) => {
        const problem = transitionProblem(row.status, change.status, {
          riskLevel: row.riskLevel,
          outcome: change.outcome,
        });
        if (problem) throw new UnprocessableFieldException(problem.field, problem.reason);
        const closing = change.status === 'closed';
        const updated = await this.cases.updateCase(m, row.id, {
          status: change.status,
          ...(closing
            ? { outcome: change.outcome, closedAt: new Date(), reviewFlaggedAt: null, reviewFlagReason: null }
            : {}),
        });
        await this.cases.addTimeline(m, updated, {
          kind: 'status-changed',
          actor: actor.subject,
          details: {
            from: row.status,
            to: change.status,
            outcome: change.outcome ?? null,
            note: change.note ?? null,
          },
        });
        return { row: updated, kind: ChangeKind.PREVENTION_CASE_CHANGE_KIND_STATUS_CHANGED };
      },
      purpose,
    );
  }
}
