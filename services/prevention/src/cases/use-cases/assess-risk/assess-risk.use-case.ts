import { Injectable } from '@nestjs/common';
import { UseCase, UseCaseHandler } from '@safecity/security';
import { PREVENTION_POLICIES as P } from '../../../prevention.policies';
import { CaseChanges, ChangeKind, checkAssessment, refuseIfClosed } from '../../case-changes';
import type { CaseView } from '../../case-view';
import type { AssessRisk } from './assess-risk.command';

/** A professional's risk assessment replaces the case's previous one; the rule never sets a level. */
@Injectable()
export class AssessRiskUseCase extends UseCaseHandler<AssessRisk, CaseView> {
  constructor(private readonly changes: CaseChanges) {
    super();
  }

  @UseCase(P.workOnCase)
  async execute({ actor, id, assessment, purpose }: AssessRisk): Promise<CaseView> {
    checkAssessment(assessment);
    return this.changes.change(
      id,
      actor,
      async (m, row) => {
        refuseIfClosed(row);
        const updated = await this.changes.applyAssessment(m, row, assessment, actor);
        return { row: updated, kind: ChangeKind.PREVENTION_CASE_CHANGE_KIND_UPDATED };
      },
      purpose,
    );
  }
}
