import { OperationRefusedException } from '@safecity/security';
import { startUseCaseHarness, type UseCaseHarness } from '../../../../test/use-case-harness';
import { CreateOperationsCenterUseCase } from '../create-operations-center/create-operations-center.use-case';
import { ListOperationsCentersUseCase } from './list-operations-centers.use-case';

describe('ListOperationsCentersUseCase', () => {
  let h: UseCaseHarness;

  beforeAll(async () => {
    h = await startUseCaseHarness('uclistoc');
    const create = (name: string, regionCode: string) =>
      h.get(CreateOperationsCenterUseCase).execute({ actor: h.person('admin', 'all'), name, regionCode });
    await create('Almaty 102', 'ALA');
    await create('Astana 102', 'AST');
  });
  afterAll(() => h.close());

  it('lists the centers of the caller’s regions by name, filtered by region on request', async () => {
    const list = (actor: ReturnType<UseCaseHarness['person']>, regionCode?: string) =>
      h.get(ListOperationsCentersUseCase).execute({ actor, regionCode });
    expect((await list(h.person('service', 'all'))).map((c) => c.name)).toEqual(['Almaty 102', 'Astana 102']);
    expect((await list(h.person('service', 'all'), 'AST')).map((c) => c.name)).toEqual(['Astana 102']);
    expect((await list(h.person('operator'))).map((c) => c.name)).toEqual(['Almaty 102']);
    await expect(list(h.person('prevention-officer'))).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
