import { Injectable } from '@nestjs/common';
import { Outbox } from '@safecity/messaging';
import { type Principal, RegionAccess, RegionScope } from '@safecity/security';
import { NotFoundError, UnprocessableFieldException } from '@safecity/service-kit';
import type { EntityManager } from 'typeorm';
import { isPersonalSubject, RISK_FACTOR_CATALOGUE, type CaseStatus } from '../domain/vocabulary';
import { CaseAudit } from './case-audit';
import { caseChangedEvent, ChangeKind } from './case-events';
import { assessmentProblem } from './case-rules';
import { caseView, type CaseView } from './case-view';
import type { RiskAssessmentDto } from './case.dto';
import { CasesRepository, type CaseDetails, type CaseRow } from './cases.repository';

/** What a change did to the case, and which kind of change the event announces. */
export interface CaseChange {
  row: CaseRow;
  kind: number;
}

/** Refuses an assessment whose factors, level and rationale do not fit together. */
export function checkAssessment(dto: RiskAssessmentDto, prefix = 'riskAssessment.'): void {
  const problem = assessmentProblem(dto);
  if (problem) throw new UnprocessableFieldException(`${prefix}${problem.field}`, problem.reason);
}

/**
 * The steps every change of an existing case shares: one transaction in the caller's scope that
 * locks the case, makes the change, announces it (PreventionCaseChanged) and audits it. The answer
 * shows a person's or family's data and the free text about them only with a stated purpose, which
 * the read is audited with.
 */
@Injectable()
export class CaseChanges {
  constructor(
    private readonly cases: CasesRepository,
    private readonly access: RegionAccess,
    private readonly outbox: Outbox,
    private readonly audit: CaseAudit,
  ) {}

  change(
    id: string,
    actor: Principal,
    work: (m: EntityManager, row: CaseRow) => Promise<CaseChange>,
    purpose?: string,
  ): Promise<CaseView> {
    const scope = RegionScope.of(actor);
    return this.access.run(scope, async (m) => {
      const before = await this.cases.findCase(m, id, scope, true);
      if (!before) throw new NotFoundError(`case ${id} not found`);
      const { row, kind } = await work(m, before);
      const details: CaseDetails = await this.cases.details(m, row);
      await this.outbox.add(m, caseChangedEvent(kind, details, actor, before.status as CaseStatus));
      await this.audit.caseChanged(m, actor, 'update', row, { change: ChangeKind[kind] });
      const personal = isPersonalSubject(details.subject.kind) && !details.subject.erasedAt;
      const stated = purpose?.trim();
      if (personal && stated) {
        await this.audit.subjectRead(m, actor, row, details.subject.id, stated, 'change');
        return caseView(details, new Date(), true);
      }
      return caseView(details, new Date(), false);
    });
  }

  /** The professional's assessment: the factors with their catalogue weights, the level, the rationale. */
  async applyAssessment(
    m: EntityManager,
    row: CaseRow,
    dto: RiskAssessmentDto,
    actor: Principal,
  ): Promise<CaseRow> {
    await this.cases.replaceRiskFactors(
      m,
      row,
      dto.factors.map((code) => ({
        code,
        weight: RISK_FACTOR_CATALOGUE[code].indicates,
        sourceIncidentId: dto.sourceIncidentId ?? null,
      })),
    );
    const updated = await this.cases.updateCase(m, row.id, {
      riskLevel: dto.riskLevel,
      riskRationale: dto.rationale ?? null,
      riskAssessedBy: actor.subject,
      riskAssessedAt: new Date(),
    });
    await this.cases.addTimeline(m, updated, {
      kind: 'risk-assessed',
      actor: actor.subject,
      details: { riskLevel: dto.riskLevel, factors: dto.factors },
    });
    return updated;
  }
}

/** A closed case takes no further work. */
export function refuseIfClosed(row: CaseRow, reason = 'a closed case cannot be changed'): void {
  if (row.status === 'closed') throw new UnprocessableFieldException('status', reason);
}

export { ChangeKind };
