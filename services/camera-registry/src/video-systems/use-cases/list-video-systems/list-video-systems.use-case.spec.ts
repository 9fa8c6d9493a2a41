import { OperationRefusedException } from '@safecity/security';
import {
  anAlmatyVideoSystem,
  startUseCaseHarness,
  type UseCaseHarness,
} from '../../../../test/use-case-harness';
import { ListVideoSystemsUseCase } from './list-video-systems.use-case';

describe('ListVideoSystemsUseCase', () => {
  let h: UseCaseHarness;

  beforeAll(async () => (h = await startUseCaseHarness('uclistvs')));
  afterAll(() => h.close());

  it('lists the systems of the caller’s regions, oldest first, filtered by region on request', async () => {
    const first = await anAlmatyVideoSystem(h, h.person('region-admin'));
    const second = await anAlmatyVideoSystem(h, h.person('region-admin'));
    const list = (actor = h.person('operator'), regionCode?: string) =>
      h.get(ListVideoSystemsUseCase).execute({ actor, regionCode });
    expect((await list()).map((s) => s.id)).toEqual([first.id, second.id]);
    expect(await list(h.person('operator', 'all'), 'AST')).toEqual([]);
    expect(await list(h.person('operator', ['AST']))).toEqual([]);
  });

  it('is refused to services, which ask for one system at a time', async () => {
    await expect(
      h.get(ListVideoSystemsUseCase).execute({ actor: h.person('service', 'all') }),
    ).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
