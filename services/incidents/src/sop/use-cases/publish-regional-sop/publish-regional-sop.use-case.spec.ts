import { OperationRefusedException } from '@safecity/security';
import { NotFoundError } from '@safecity/service-kit';
import { startUseCaseHarness, type UseCaseHarness } from '../../../../test/use-case-harness';
import { PublishRegionalSopUseCase } from './publish-regional-sop.use-case';

describe('PublishRegionalSopUseCase', () => {
  let h: UseCaseHarness;
  const publish = (actor = h.person('supervisor', ['ALA']), regionCode = 'ALA') =>
    h.get(PublishRegionalSopUseCase).execute({
      actor,
      category: 'fire',
      regionCode,
      checklist: { steps: [{ id: 'evacuate', title: 'Evacuate the building' }] },
    });

  beforeAll(async () => {
    h = await startUseCaseHarness('ucpubregsop');
  });
  afterAll(() => h.close());

  it('publishes the region’s own version, numbered apart from the national one, and audits it', async () => {
    const sop = await publish();
    expect(sop).toMatchObject({ category: 'fire', regionCode: 'ALA', version: 1 });
    const [audit] = await h.query<{ regionCode: string; details: { scope: string } }>(
      `SELECT region_code AS "regionCode", details FROM audit_log WHERE object_id = $1`,
      [sop.id],
    );
    expect(audit).toMatchObject({ regionCode: 'ALA', details: { scope: 'regional' } });
  });

  it('answers a region outside the editor’s, or no region at all, as missing', async () => {
    await expect(publish(undefined, 'AST')).rejects.toEqual(new NotFoundError('region AST not found'));
    await expect(publish(undefined, 'nowhere')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('is refused to operators', async () => {
    await expect(publish(h.person('operator'))).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
