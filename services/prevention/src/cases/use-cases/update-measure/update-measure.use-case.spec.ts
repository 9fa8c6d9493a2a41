import { EventTypes } from '@safecity/contracts';
import { OperationRefusedException } from '@safecity/security';
import { InvalidError, NotFoundError } from '@safecity/service-kit';
import {
  aHomeVisit,
  aPlaceCase,
  anOfficer,
  eventTypesOf,
  startUseCaseHarness,
  type UseCaseHarness,
} from '../../../../test/use-case-harness';
import { PlanMeasureUseCase } from '../plan-measure/plan-measure.use-case';
import { UpdateMeasureUseCase } from './update-measure.use-case';

describe('UpdateMeasureUseCase', () => {
  let h: UseCaseHarness;

  beforeAll(async () => {
    h = await startUseCaseHarness('ucupdatemeasure');
  });
  afterAll(() => h.close());

  async function aCaseWithAMeasure() {
    const officer = anOfficer(h);
    const opened = await aPlaceCase(h, officer);
    const planned = await h
      .get(PlanMeasureUseCase)
      .execute({ actor: officer, id: opened.id, measure: aHomeVisit() });
    return { officer, caseId: opened.id, measureId: planned.measures[0].id };
  }

  it('completes a measure with its result, on time, announced and audited', async () => {
    const { officer, caseId, measureId } = await aCaseWithAMeasure();
    const done = await h.get(UpdateMeasureUseCase).execute({
      actor: officer,
      id: caseId,
      measureId,
      changes: { status: 'done', result: 'family visited' },
    });
    expect(done.measures[0]).toMatchObject({
      status: 'done',
      result: 'family visited',
      completedAt: expect.any(Date),
    });
    expect(await eventTypesOf(h, caseId, 3)).toEqual([
      EventTypes.PreventionCaseOpened,
      EventTypes.PreventionCaseMeasuresChanged,
      EventTypes.PreventionCaseMeasuresChanged,
    ]);
    const [entry] = await h.query(
      `SELECT details FROM case_timeline WHERE case_id = $1 AND kind = 'measure-updated'`,
      [caseId],
    );
    expect(entry).toEqual({ details: { measureId, status: 'done', onTime: true } });
    expect(
      await h.query(`SELECT count(*)::int AS n FROM audit_log WHERE object_id = $1 AND action = 'update'`, [
        caseId,
      ]),
    ).toEqual([{ n: 2 }]);
  });

  it('refuses a done measure without its result, a change of a done one, an unknown one, and analysts', async () => {
    const { officer, caseId, measureId } = await aCaseWithAMeasure();
    const update = h.get(UpdateMeasureUseCase);
    await expect(
      update.execute({ actor: officer, id: caseId, measureId, changes: { status: 'done' } }),
    ).rejects.toEqual(new InvalidError({ field: 'result', reason: 'a done measure needs its result' }));
    await update.execute({
      actor: officer,
      id: caseId,
      measureId,
      changes: { status: 'done', result: 'ok' },
    });
    await expect(
      update.execute({ actor: officer, id: caseId, measureId, changes: { assigneeId: 'someone' } }),
    ).rejects.toMatchObject({ problems: [{ field: 'status' }] });
    const unknown = '00000000-0000-4000-8000-000000000000';
    await expect(
      update.execute({ actor: officer, id: caseId, measureId: unknown, changes: { status: 'cancelled' } }),
    ).rejects.toEqual(new NotFoundError(`measure ${unknown} not found`));
    await expect(
      update.execute({ actor: h.person('analyst'), id: caseId, measureId, changes: { status: 'cancelled' } }),
    ).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
