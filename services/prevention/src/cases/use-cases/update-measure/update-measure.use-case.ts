import { Injectable } from '@nestjs/common';
import { UseCase, UseCaseHandler } from '@safecity/security';
import { NotFoundError, UnprocessableFieldException } from '@safecity/service-kit';
import { PREVENTION_POLICIES as P } from '../../../prevention.policies';
import { CaseChanges, ChangeKind } from '../../case-changes';
import type { CaseView } from '../../case-view';
import { CasesRepository } from '../../cases.repository';
import type { UpdateMeasure } from './update-measure.command';

/** Moves a measure along; a done one needs its result, and a done or cancelled one is final. */
@Injectable()
export class UpdateMeasureUseCase extends UseCaseHandler<UpdateMeasure, CaseView> {
  constructor(
    private readonly cases: CasesRepository,
    private readonly changes: CaseChanges,
  ) {
    super();
  }

  @UseCase(P.workOnCase)
  async execute({ actor, id, measureId, changes: dto, purpose }: UpdateMeasure): Promise<CaseView> {
    return this.changes.change(
      id,
      actor,
      async (m, row) => {
        const measure = await this.cases.findMeasure(m, row.id, measureId);
        if (!measure) throw new NotFoundError(`measure ${measureId} not found`);
        if (measure.status === 'done' || measure.status === 'cancelled') {
          throw new UnprocessableFieldException('status', `a ${measure.status} measure cannot be changed`);
        }
        const status = dto.status ?? measure.status;
        const result = dto.result ?? measure.result;
        if (status === 'done' && !result)
          throw new UnprocessableFieldException('result', 'a done measure needs its result');
        const completedAt =
          status === 'done' ? (dto.completedAt ? new Date(dto.completedAt) : new Date()) : null;
        if (completedAt && completedAt.getTime() > Date.now() + 60_000) {
          throw new UnprocessableFieldException('completedAt', 'cannot lie in the future');
        }
        if (dto.completedAt && status !== 'done') {
          throw new UnprocessableFieldException('completedAt', 'only a done measure has a completion time');
        }
        const changed = await this.cases.updateMeasure(m, measure.id, {
          status,
          result,
          completedAt,
          dueAt: dto.dueAt ? new Date(dto.dueAt) : measure.dueAt,
          assigneeId: dto.assigneeId ?? measure.assigneeId,
        });
        await this.cases.addTimeline(m, row, {
          kind: 'measure-updated',
          actor: actor.subject,
          details: {
            measureId,
            status: changed.status,
            onTime: completedAt ? completedAt <= changed.dueAt : null,
          },
        });
        const updated = await this.cases.updateCase(m, row.id, {});
        return { row: updated, kind: ChangeKind.PREVENTION_CASE_CHANGE_KIND_MEASURES_CHANGED };
      },
      purpose,
    );
  }
}
