import { NotFoundError } from '@safecity/service-kit';
import { startUseCaseHarness, type UseCaseHarness } from '../../../../test/use-case-harness';
import { ListDistrictsUseCase } from './list-districts.use-case';

describe('ListDistrictsUseCase', () => {
  let h: UseCaseHarness;

  beforeAll(async () => (h = await startUseCaseHarness('uclistdistricts')));
  afterAll(() => h.close());

  it('lists a region’s districts, and answers an unknown region as not found', async () => {
    const list = (regionCode: string) =>
      h.get(ListDistrictsUseCase).execute({ actor: h.person('operator', ['AST']), regionCode });
    const districts = await list('ALA');
    expect(districts.length).toBeGreaterThan(0);
    expect(districts.every((d) => d.regionCode === 'ALA')).toBe(true);
    await expect(list('XYZ')).rejects.toEqual(new NotFoundError('region XYZ not found'));
  });
});
