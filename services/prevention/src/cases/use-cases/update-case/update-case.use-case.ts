import { Injectable } from '@nestjs/common';
import { UseCase, UseCaseHandler } from '@safecity/security';
import { UnprocessableFieldException } from '@safecity/service-kit';
import { PREVENTION_POLICIES as P } from '../../../prevention.policies';
import { CaseChanges, ChangeKind, refuseIfClosed } from '../../case-changes';
import type { CaseView } from '../../case-view';
import { CasesRepository, type CaseRow } from '../../cases.repository';
import type { UpdateCase } from './update-case.command';

const EDITABLE = ['districtCode', 'category', 'legalBasis', 'ownerAgency', 'responsibleOfficer'] as const;

/** Changes the fields of an open case; the owner agency always stays among its agencies. */
@Injectable()
export class UpdateCaseUseCase extends UseCaseHandler<UpdateCase, CaseView> {
  constructor(
    private readonly cases: CasesRepository,
    private readonly changes: CaseChanges,
  ) {
    super();
  }

  @UseCase(P.steerCase)
  async execute({ actor, id, changes: dto, purpose }: UpdateCase): Promise<CaseView> {
    return this.changes.change(
      id,
      actor,
      async (m, row) => {
        refuseIfClosed(row);
        const changes: Partial<CaseRow> = {};
        for (const key of EDITABLE) {
          if (dto[key] !== undefined) (changes as Record<string, unknown>)[key] = dto[key];
        }
        if (dto.agencies || dto.ownerAgency) {
          changes.agencies = [
            ...new Set([dto.ownerAgency ?? row.ownerAgency, ...(dto.agencies ?? row.agencies)]),
          ];
        }
        if (dto.reviewIntervalDays !== undefined) changes.reviewIntervalDays = dto.reviewIntervalDays;
        if (Object.keys(changes).length === 0)
          throw new UnprocessableFieldException('body', 'nothing to change');
        const updated = await this.cases.updateCase(m, row.id, changes);
        await this.cases.addTimeline(m, updated, {
          kind: 'updated',
          actor: actor.subject,
          details: { fields: Object.keys(changes) },
        });
        return { row: updated, kind: ChangeKind.PREVENTION_CASE_CHANGE_KIND_UPDATED };
      },
      purpose,
    );
  }
}
