import { OperationRefusedException } from '@safecity/security';
import { NotFoundError } from '@safecity/service-kit';
import { startUseCaseHarness, type UseCaseHarness } from '../../../../test/use-case-harness';
import { PublishNationalSopUseCase } from '../publish-national-sop/publish-national-sop.use-case';
import { PublishRegionalSopUseCase } from '../publish-regional-sop/publish-regional-sop.use-case';
import { ReadNationalSopUseCase } from './read-national-sop.use-case';

describe('ReadNationalSopUseCase', () => {
  let h: UseCaseHarness;
  const read = (actor = h.person('operator'), category = 'theft') =>
    h.get(ReadNationalSopUseCase).execute({ actor, category });

  beforeAll(async () => {
    h = await startUseCaseHarness('ucreadnatsop');
  });
  afterAll(() => h.close());

  it('gives the latest national version, whatever a region keeps of its own', async () => {
    const national = h.person('admin', 'all');
    for (const title of ['v1', 'v2']) {
      await h.get(PublishNationalSopUseCase).execute({
        actor: national,
        category: 'theft',
        checklist: { steps: [{ id: 'a', title }] },
      });
    }
    await h.get(PublishRegionalSopUseCase).execute({
      actor: h.person('supervisor'),
      category: 'theft',
      regionCode: 'ALA',
      checklist: { steps: [{ id: 'local', title: 'Almaty only' }] },
    });
    expect(await read()).toMatchObject({ regionCode: null, version: 2, steps: [{ id: 'a', title: 'v2' }] });
  });

  it('answers a category without a checklist as missing', async () => {
    await expect(read(undefined, 'fire')).rejects.toEqual(new NotFoundError('no SOP for fire'));
  });

  it('is refused to roles that follow no checklists', async () => {
    await expect(read(h.person('social-worker'))).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
