import { OperationRefusedException } from '@safecity/security';
import { NotFoundError } from '@safecity/service-kit';
import { startUseCaseHarness, type UseCaseHarness } from '../../../../test/use-case-harness';
import { CreateOperationsCenterUseCase } from '../create-operations-center/create-operations-center.use-case';
import { GetOperationsCenterUseCase } from './get-operations-center.use-case';

describe('GetOperationsCenterUseCase', () => {
  let h: UseCaseHarness;
  let id: string;

  beforeAll(async () => {
    h = await startUseCaseHarness('ucgetoc');
    const actor = h.person('region-admin');
    id = (
      await h.get(CreateOperationsCenterUseCase).execute({ actor, name: 'Almaty 102', regionCode: 'ALA' })
    ).id;
  });
  afterAll(() => h.close());

  it('gives the center to its region and to services; another region’s is not found', async () => {
    const get = (actor: ReturnType<UseCaseHarness['person']>) =>
      h.get(GetOperationsCenterUseCase).execute({ actor, id });
    expect(await get(h.person('operator'))).toMatchObject({ id, name: 'Almaty 102' });
    expect(await get(h.person('service', 'all'))).toMatchObject({ id });
    await expect(get(h.person('operator', ['AST']))).rejects.toEqual(
      new NotFoundError(`operations center ${id} not found`),
    );
    await expect(get(h.person('social-worker'))).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
