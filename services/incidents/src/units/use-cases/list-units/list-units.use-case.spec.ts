import { OperationRefusedException } from '@safecity/security';
import { startUseCaseHarness, type UseCaseHarness } from '../../../../test/use-case-harness';
import { CreateUnitUseCase } from '../create-unit/create-unit.use-case';
import { ListUnitsUseCase } from './list-units.use-case';

describe('ListUnitsUseCase', () => {
  let h: UseCaseHarness;
  const list = (actor = h.person('operator'), query = {}) =>
    h.get(ListUnitsUseCase).execute({ actor, query });

  beforeAll(async () => {
    h = await startUseCaseHarness('uclistunits');
    const admin = h.person('admin', 'all');
    for (const [callSign, regionCode] of [
      ['ALA-1', 'ALA'],
      ['ALA-2', 'ALA'],
      ['AST-1', 'AST'],
    ]) {
      await h
        .get(CreateUnitUseCase)
        .execute({ actor: admin, unit: { callSign, kind: 'patrol', regionCode } });
    }
  });
  afterAll(() => h.close());

  it('lists the units of the caller’s regions only', async () => {
    expect((await list()).map((u) => u.callSign).sort()).toEqual(['ALA-1', 'ALA-2']);
    expect(await list(h.person('supervisor', 'all'), { regionCode: 'AST' })).toMatchObject([
      { callSign: 'AST-1' },
    ]);
  });

  it('is refused to analysts', async () => {
    await expect(list(h.person('analyst'))).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
