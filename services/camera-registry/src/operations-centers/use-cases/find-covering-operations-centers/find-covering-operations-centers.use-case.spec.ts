import { OperationRefusedException } from '@safecity/security';
import { startUseCaseHarness, type UseCaseHarness } from '../../../../test/use-case-harness';
import { CreateOperationsCenterUseCase } from '../create-operations-center/create-operations-center.use-case';
import { FindCoveringOperationsCentersUseCase } from './find-covering-operations-centers.use-case';

describe('FindCoveringOperationsCentersUseCase', () => {
  let h: UseCaseHarness;

  beforeAll(async () => {
    h = await startUseCaseHarness('uccoveroc');
    const actor = h.person('region-admin');
    const create = h.get(CreateOperationsCenterUseCase);
    await create.execute({ actor, name: 'Almaty 102', regionCode: 'ALA' });
    await create.execute({
      actor,
      name: 'Medeu post',
      regionCode: 'ALA',
      coverage: { minLon: 76.9, minLat: 43.2, maxLon: 77.0, maxLat: 43.3 },
    });
  });
  afterAll(() => h.close());

  it('answers the centers whose area holds the point, the most specific first', async () => {
    const covering = (lat: number, lon: number, actor = h.person('operator')) =>
      h.get(FindCoveringOperationsCentersUseCase).execute({ actor, lat, lon });
    expect((await covering(43.2383, 76.9454)).map((c) => c.name)).toEqual(['Medeu post', 'Almaty 102']);
    expect(await covering(51.13, 71.43)).toEqual([]);
    expect(await covering(43.2383, 76.9454, h.person('operator', ['AST']))).toEqual([]);
    await expect(covering(43.2, 76.9, h.person('social-worker'))).rejects.toBeInstanceOf(
      OperationRefusedException,
    );
  });
});
