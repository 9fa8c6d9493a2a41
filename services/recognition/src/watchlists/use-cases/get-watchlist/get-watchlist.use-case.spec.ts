import { OperationRefusedException } from '@safecity/security';
import { NotFoundError } from '@safecity/service-kit';
import {
  anAlmatyWatchlist,
  startUseCaseHarness,
  type UseCaseHarness,
} from '../../../../test/use-case-harness';
import { GetWatchlistUseCase } from './get-watchlist.use-case';

describe('GetWatchlistUseCase', () => {
  let h: UseCaseHarness;
  let id: string;
  beforeAll(async () => {
    h = await startUseCaseHarness('ucgetwl');
    id = (await anAlmatyWatchlist(h, h.person('supervisor'), 'plate')).id;
  });
  afterAll(() => h.close());

  it('gives the list to keepers of its region', async () => {
    expect(await h.get(GetWatchlistUseCase).execute({ actor: h.person('region-admin'), id })).toMatchObject({
      id,
      kind: 'plate',
    });
  });

  it('answers another region’s list exactly like a missing one', async () => {
    await expect(
      h.get(GetWatchlistUseCase).execute({ actor: h.person('supervisor', ['AST']), id }),
    ).rejects.toEqual(new NotFoundError(`watchlist ${id} not found`));
  });

  it('is refused to roles that do not keep watchlists', async () => {
    await expect(
      h.get(GetWatchlistUseCase).execute({ actor: h.person('operator'), id }),
    ).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
