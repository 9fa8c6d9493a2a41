import { OperationRefusedException } from '@safecity/security';
import { NotFoundError } from '@safecity/service-kit';
import { startUseCaseHarness, type UseCaseHarness } from '../../../../test/use-case-harness';
import { PublishNationalSopUseCase } from '../publish-national-sop/publish-national-sop.use-case';
import { PublishRegionalSopUseCase } from '../publish-regional-sop/publish-regional-sop.use-case';
import { ReadRegionalSopUseCase } from './read-regional-sop.use-case';

describe('ReadRegionalSopUseCase', () => {
  let h: UseCaseHarness;
  const read = (regionCode: string, actor = h.person('operator', ['ALA', 'AST'])) =>
    h.get(ReadRegionalSopUseCase).execute({ actor, category: 'theft', regionCode });

  beforeAll(async () => {
    h = await startUseCaseHarness('ucreadregsop');
    await h.get(PublishNationalSopUseCase).execute({
      actor: h.person('admin', 'all'),
      category: 'theft',
      checklist: { steps: [{ id: 'n', title: 'national' }] },
    });
    await h.get(PublishRegionalSopUseCase).execute({
      actor: h.person('supervisor'),
      category: 'theft',
      regionCode: 'ALA',
      checklist: { steps: [{ id: 'r', title: 'Almaty' }] },
    });
  });
  afterAll(() => h.close());

  it('gives a region its own version, and the national one to a region without its own', async () => {
    expect(await read('ALA')).toMatchObject({ regionCode: 'ALA', steps: [{ id: 'r' }] });
    expect(await read('AST')).toMatchObject({ regionCode: null, steps: [{ id: 'n' }] });
  });

  it('answers a region outside the reader’s as missing', async () => {
    await expect(read('SHY')).rejects.toEqual(new NotFoundError('region SHY not found'));
  });

  it('is refused to roles that follow no checklists', async () => {
    await expect(read('ALA', h.person('region-admin'))).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
