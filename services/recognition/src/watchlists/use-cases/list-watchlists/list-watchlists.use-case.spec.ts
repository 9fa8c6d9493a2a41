import { OperationRefusedException } from '@safecity/security';
import {
  anAlmatyWatchlist,
  startUseCaseHarness,
  type UseCaseHarness,
} from '../../../../test/use-case-harness';
import { CreateWatchlistUseCase } from '../create-watchlist/create-watchlist.use-case';
import { ListWatchlistsUseCase } from './list-watchlists.use-case';

describe('ListWatchlistsUseCase', () => {
  let h: UseCaseHarness;
  beforeAll(async () => {
    h = await startUseCaseHarness('uclstwl');
    const keeper = h.person('admin', 'all');
    for (const name of ['a', 'b', 'c']) await anAlmatyWatchlist(h, keeper, 'plate', name);
    await anAlmatyWatchlist(h, keeper, 'face', 'faces');
    await h.get(CreateWatchlistUseCase).execute({
      actor: keeper,
      watchlist: { kind: 'plate', name: 'astana', regionCode: 'AST', legalBasis: 'Order 2/2026', owner: 'x' },
    });
  });
  afterAll(() => h.close());

  it('pages through the lists of the caller’s regions, of one kind when asked', async () => {
    const actor = h.person('supervisor');
    const first = await h.get(ListWatchlistsUseCase).execute({ actor, query: { kind: 'plate', limit: 2 } });
    expect(first.items).toHaveLength(2);
    const rest = await h
      .get(ListWatchlistsUseCase)
      .execute({ actor, query: { kind: 'plate', limit: 2, cursor: first.nextCursor! } });
    expect(rest).toMatchObject({ nextCursor: null });
    expect([...first.items, ...rest.items].map((l) => l.name).sort()).toEqual(['a', 'b', 'c']);
    const all = await h.get(ListWatchlistsUseCase).execute({ actor, query: {} });
    expect(all.items.map((l) => l.regionCode)).not.toContain('AST');
  });

  it('is refused to roles that do not keep watchlists', async () => {
    await expect(
      h.get(ListWatchlistsUseCase).execute({ actor: h.person('analyst'), query: {} }),
    ).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
