import { OperationRefusedException } from '@safecity/security';
import { startUseCaseHarness, type UseCaseHarness } from '../../../../test/use-case-harness';
import { ListRegionsUseCase } from './list-regions.use-case';

describe('ListRegionsUseCase', () => {
  let h: UseCaseHarness;

  beforeAll(async () => (h = await startUseCaseHarness('uclistregions')));
  afterAll(() => h.close());

  it('gives every signed-in role the 17 regions and 3 cities, whatever its own regions', async () => {
    const regions = await h.get(ListRegionsUseCase).execute({ actor: h.person('social-worker', ['AST']) });
    expect(regions).toHaveLength(20);
    expect(regions.map((r) => r.code)).toContain('ALA');
  });

  it('is refused without a caller', async () => {
    await expect(h.get(ListRegionsUseCase).execute({} as never)).rejects.toBeInstanceOf(
      OperationRefusedException,
    );
  });
});
