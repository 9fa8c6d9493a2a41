import { Injectable } from '@nestjs/common';
import { UseCase, UseCaseHandler } from '@safecity/security';
import { PREVENTION_POLICIES as P } from '../../../prevention.policies';
import { CaseChanges, ChangeKind, refuseIfClosed } from '../../case-changes';
import type { CaseView } from '../../case-view';
import { CasesRepository } from '../../cases.repository';
import type { PlanMeasure } from './plan-measure.command';

/** A measure planned on an open case, with its agency, assignee and due date. */
@Injectable()
export class PlanMeasureUseCase extends UseCaseHandler<PlanMeasure, CaseView> {
  constructor(
    private readonly cases: CasesRepository,
    private readonly changes: CaseChanges,
  ) {
    super();
  }

  @UseCase(P.workOnCase)
  async execute({ actor, id, measure: planned, purpose }: PlanMeasure): Promise<CaseView> {
    return this.changes.change(
      id,
      actor,
      async (m, row) => {
        refuseIfClosed(row, 'a closed case takes no measures');
        const measure = await this.cases.insertMeasure(m, row, {
          kind: planned.kind,
          agencyCode: planned.agencyCode,
          assigneeId: planned.assigneeId,
          description: planned.description ?? null,
          dueAt: new Date(planned.dueAt),
          createdBy: actor.subject,
        });
        await this.cases.addTimeline(m, row, {
          kind: 'measure-planned',
          actor: actor.subject,
          details: { measureId: measure.id, kind: planned.kind },
        });
        const updated = await this.cases.updateCase(m, row.id, {});
        return { row: updated, kind: ChangeKind.PREVENTION_CASE_CHANGE_KIND_MEASURES_CHANGED };
      },
      purpose,
    );
  }
}
