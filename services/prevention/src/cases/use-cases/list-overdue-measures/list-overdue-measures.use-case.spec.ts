import { OperationRefusedException } from '@safecity/security';
import {
  aPersonCase,
  anOfficer,
  startUseCaseHarness,
  type UseCaseHarness,
} from '../../../../test/use-case-harness';
import { PlanMeasureUseCase } from '../plan-measure/plan-measure.use-case';
import { ListOverdueMeasuresUseCase } from './list-overdue-measures.use-case';

describe('ListOverdueMeasuresUseCase', () => {
  let h: UseCaseHarness;
  let caseId: string;

  beforeAll(async () => {
    h = await startUseCaseHarness('ucoverdue');
    const officer = anOfficer(h);
    caseId = (await aPersonCase(h, officer)).id;
    for (const days of [-2, 5]) {
      await h.get(PlanMeasureUseCase).execute({
        actor: officer,
        id: caseId,
        measure: {
          kind: 'home-visit',
          agencyCode: 'social-services',
          assigneeId: 'sw-ala-1',
          description: 'talk to Айгерим at home',
          dueAt: new Date(Date.now() + days * 86_400_000).toISOString(),
        },
      });
    }
  });
  afterAll(() => h.close());

  it('lists what is overdue and with whom, never what was written about anyone', async () => {
    const worker = h.person('social-worker');
    const overdue = await h.get(ListOverdueMeasuresUseCase).execute({ actor: worker });
    expect(overdue.count).toBe(1);
    expect(overdue.items[0]).toMatchObject({
      caseId,
      regionCode: 'ALA',
      assigneeId: 'sw-ala-1',
      overdue: true,
    });
    expect(JSON.stringify(overdue)).not.toContain('Айгерим');
    expect(
      await h.query(`SELECT count(*)::int AS n FROM audit_log WHERE actor_subject = $1`, [worker.subject]),
    ).toEqual([{ n: 0 }]);
    expect((await h.get(ListOverdueMeasuresUseCase).execute({ actor: anOfficer(h, ['AST']) })).count).toBe(0);
  });

  it('is refused to analysts', async () => {
    await expect(
      h.get(ListOverdueMeasuresUseCase).execute({ actor: h.person('analyst') }),
    ).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
