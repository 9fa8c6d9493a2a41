import { OperationRefusedException } from '@safecity/security';
import { InvalidError } from '@safecity/service-kit';
import { startUseCaseHarness, type UseCaseHarness } from '../../../../test/use-case-harness';
import { CreateOperationsCenterUseCase } from './create-operations-center.use-case';

describe('CreateOperationsCenterUseCase', () => {
  let h: UseCaseHarness;
  const create = (
    command: { regionCode: string; districtCode?: string; coverage?: object },
    actor = h.person('region-admin'),
  ) => h.get(CreateOperationsCenterUseCase).execute({ actor, name: 'Almaty 102', ...command } as never);

  beforeAll(async () => (h = await startUseCaseHarness('uccreateoc')));
  afterAll(() => h.close());

  it('covers its region’s envelope unless told otherwise', async () => {
    const center = await create({ regionCode: 'ALA' });
    const [region] = await h.query<{ min_lon: number }>(`SELECT min_lon FROM regions WHERE code = 'ALA'`);
    expect(center).toMatchObject({ regionCode: 'ALA', districtCode: null });
    expect(center.coverage.minLon).toBe(region.min_lon);
  });

  it('refuses an unknown or foreign region, a district elsewhere and an inverted area, naming the field', async () => {
    await expect(create({ regionCode: 'XYZ' })).rejects.toEqual(
      new InvalidError({ field: 'regionCode', reason: 'unknown region XYZ' }),
    );
    await expect(create({ regionCode: 'AST' })).rejects.toMatchObject({
      problems: [{ field: 'regionCode' }],
    });
    await expect(create({ regionCode: 'ALA', districtCode: 'NO-SUCH' })).rejects.toMatchObject({
      problems: [{ field: 'districtCode' }],
    });
    await expect(
      create({ regionCode: 'ALA', coverage: { minLon: 77, minLat: 43, maxLon: 76, maxLat: 44 } }),
    ).rejects.toMatchObject({ problems: [{ field: 'coverage' }] });
  });

  it('is refused to roles its policy does not name', async () => {
    await expect(create({ regionCode: 'ALA' }, h.person('operator'))).rejects.toBeInstanceOf(
      OperationRefusedException,
    );
  });
});
