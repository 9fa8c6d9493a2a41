import { randomUUID } from 'node:crypto';
import { OperationRefusedException } from '@safecity/security';
import { NotFoundError } from '@safecity/service-kit';
import {
  anAlmatyVideoSystem,
  startUseCaseHarness,
  type UseCaseHarness,
} from '../../../../test/use-case-harness';
import { GetVideoSystemUseCase } from './get-video-system.use-case';

describe('GetVideoSystemUseCase', () => {
  let h: UseCaseHarness;
  let id: string;

  beforeAll(async () => {
    h = await startUseCaseHarness('ucgetvs');
    id = (await anAlmatyVideoSystem(h, h.person('region-admin'))).id;
  });
  afterAll(() => h.close());

  it('gives the system to readers and services; another region’s is not found like a missing one', async () => {
    const get = (actor = h.person('analyst'), systemId = id) =>
      h.get(GetVideoSystemUseCase).execute({ actor, id: systemId });
    expect(await get()).toMatchObject({ id, regionCode: 'ALA' });
    expect(await get(h.person('service', 'all'))).toMatchObject({ id });
    await expect(get(h.person('analyst', ['AST']))).rejects.toEqual(
      new NotFoundError(`video system ${id} not found`),
    );
    const missing = randomUUID();
    await expect(get(h.person('analyst'), missing)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('is refused to roles its policy does not name', async () => {
    await expect(
      h.get(GetVideoSystemUseCase).execute({ actor: h.person('social-worker'), id }),
    ).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
