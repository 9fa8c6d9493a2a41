import { EventTypes } from '@safecity/contracts';
import { OperationRefusedException } from '@safecity/security';
import { InvalidError } from '@safecity/service-kit';
import {
  aPlaceCase,
  anOfficer,
  eventTypesOf,
  startUseCaseHarness,
  type UseCaseHarness,
} from '../../../../test/use-case-harness';
import { AssessRiskUseCase } from './assess-risk.use-case';

describe('AssessRiskUseCase', () => {
  let h: UseCaseHarness;
  let caseId: string;

  beforeAll(async () => {
    h = await startUseCaseHarness('ucassessrisk');
    caseId = (await aPlaceCase(h, anOfficer(h))).id;
  });
  afterAll(() => h.close());

  it('records a social worker’s assessment with the factors’ weights, announced and audited', async () => {
    const worker = h.person('social-worker');
    const assessed = await h.get(AssessRiskUseCase).execute({
      actor: worker,
      id: caseId,
      assessment: { factors: ['alcohol-abuse', 'weapon-access'], riskLevel: 'high' },
    });
    expect(assessed).toMatchObject({
      riskLevel: 'high',
      riskAssessedBy: worker.subject,
      indicatedRiskLevel: 'high',
    });
    expect(assessed.riskFactors.map((f) => [f.code, f.weight])).toEqual([
      ['alcohol-abuse', 'medium'],
      ['weapon-access', 'high'],
    ]);
    expect(await eventTypesOf(h, caseId, 2)).toEqual([
      EventTypes.PreventionCaseOpened,
      EventTypes.PreventionCaseUpdated,
    ]);
    expect(await h.query(`SELECT action FROM audit_log WHERE actor_subject = $1`, [worker.subject])).toEqual([
      { action: 'update' },
    ]);
  });

  it('refuses a level the factors do not indicate without a rationale, and analysts', async () => {
    const refusal = h.get(AssessRiskUseCase).execute({
      actor: anOfficer(h),
      id: caseId,
      assessment: { factors: ['school-absence'], riskLevel: 'critical' },
    });
    await expect(refusal).rejects.toBeInstanceOf(InvalidError);
    await expect(refusal).rejects.toMatchObject({ problems: [{ field: 'riskAssessment.rationale' }] });
    await expect(
      h.get(AssessRiskUseCase).execute({
        actor: h.person('analyst'),
        id: caseId,
        assessment: { factors: ['school-absence'], riskLevel: 'low' },
      }),
    ).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
