import { EventTypes } from '@safecity/contracts';
import { OperationRefusedException } from '@safecity/security';
import { NotFoundError } from '@safecity/service-kit';
import {
  aHomeVisit,
  aPersonCase,
  anOfficer,
  eventTypesOf,
  startUseCaseHarness,
  type UseCaseHarness,
} from '../../../../test/use-case-harness';
import { PlanMeasureUseCase } from './plan-measure.use-case';

describe('PlanMeasureUseCase', () => {
  let h: UseCaseHarness;

  beforeAll(async () => {
    h = await startUseCaseHarness('ucplanmeasure');
  });
  afterAll(() => h.close());

  it('plans a measure, announces the case’s measures changed and audits it; the free text needs a purpose', async () => {
    const officer = anOfficer(h);
    const opened = await aPersonCase(h, officer);
    const worker = h.person('social-worker');
    const planned = await h
      .get(PlanMeasureUseCase)
      .execute({ actor: worker, id: opened.id, measure: aHomeVisit() });
    expect(planned.measures).toEqual([
      expect.objectContaining({ kind: 'home-visit', status: 'planned', description: null, overdue: false }),
    ]);
    expect(await eventTypesOf(h, opened.id, 2)).toEqual([
      EventTypes.PreventionCaseOpened,
      EventTypes.PreventionCaseMeasuresChanged,
    ]);
    expect(await h.query(`SELECT action FROM audit_log WHERE actor_subject = $1`, [worker.subject])).toEqual([
      { action: 'update' },
    ]);
    const stated = await h.get(PlanMeasureUseCase).execute({
      actor: worker,
      id: opened.id,
      measure: aHomeVisit(14),
      purpose: 'planning the visits',
    });
    expect(stated.measures.map((m) => m.description)).toEqual([
      'visit the family with the school psychologist',
      'visit the family with the school psychologist',
    ]);
  });

  it('refuses a missing case, and analysts', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    await expect(
      h.get(PlanMeasureUseCase).execute({ actor: anOfficer(h), id: missing, measure: aHomeVisit() }),
    ).rejects.toEqual(new NotFoundError(`case ${missing} not found`));
    await expect(
      h.get(PlanMeasureUseCase).execute({ actor: h.person('analyst'), id: missing, measure: aHomeVisit() }),
    ).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
