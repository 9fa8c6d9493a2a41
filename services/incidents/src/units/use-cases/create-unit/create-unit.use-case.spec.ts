import { OperationRefusedException } from '@safecity/security';
import { ConflictError, InvalidError } from '@safecity/service-kit';
import { startUseCaseHarness, type UseCaseHarness } from '../../../../test/use-case-harness';
import { CreateUnitUseCase } from './create-unit.use-case';

describe('CreateUnitUseCase', () => {
  let h: UseCaseHarness;
  const create = (callSign: string, regionCode = 'ALA', actor = h.person('supervisor')) =>
    h.get(CreateUnitUseCase).execute({ actor, unit: { callSign, kind: 'patrol', regionCode } });

  beforeAll(async () => {
    h = await startUseCaseHarness('uccreateunit');
  });
  afterAll(() => h.close());

  it('registers an available unit of the supervisor’s region', async () => {
    expect(await create('ALA-01')).toMatchObject({
      callSign: 'ALA-01',
      regionCode: 'ALA',
      status: 'available',
    });
    expect(await h.query(`SELECT call_sign AS "callSign" FROM units`)).toEqual([{ callSign: 'ALA-01' }]);
  });

  it('refuses a call sign the region already uses, and a region outside the supervisor’s', async () => {
    await create('ALA-02');
    await expect(create('ALA-02')).rejects.toBeInstanceOf(ConflictError);
    await expect(create('AST-01', 'AST')).rejects.toBeInstanceOf(InvalidError);
  });

  it('is refused to operators', async () => {
    await expect(create('ALA-03', 'ALA', h.person('operator'))).rejects.toBeInstanceOf(
      OperationRefusedException,
    );
  });
});
