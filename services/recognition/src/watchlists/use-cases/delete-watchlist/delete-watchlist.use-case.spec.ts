import { OperationRefusedException } from '@safecity/security';
import { NotFoundError } from '@safecity/service-kit';
import {
  anAlmatyWatchlist,
  auditOf,
  inAWeek,
  startUseCaseHarness,
  type UseCaseHarness,
} from '../../../../test/use-case-harness';
import { AddPlateEntryUseCase } from '../../../plates/use-cases';
import { DeleteWatchlistUseCase } from './delete-watchlist.use-case';

describe('DeleteWatchlistUseCase', () => {
  let h: UseCaseHarness;
  beforeAll(async () => (h = await startUseCaseHarness('ucdelwl')));
  afterAll(() => h.close());

  it('erases the list with its entries, each erasure audited with the purpose', async () => {
    const keeper = h.person('supervisor');
    const list = await anAlmatyWatchlist(h, keeper, 'plate');
    const entry = await h.get(AddPlateEntryUseCase).execute({
      actor: keeper,
      watchlistId: list.id,
      entry: {
        plate: '123ABC02',
        reason: 'stolen-vehicle',
        priority: 3,
        legalBasis: 'Case 1',
        owner: 'x',
        expiresAt: inAWeek(),
      },
    });
    await h.get(DeleteWatchlistUseCase).execute({ actor: keeper, id: list.id, purpose: 'case closed' });
    expect(await h.query(`SELECT id FROM plate_hotlist_entries WHERE id = $1`, [entry.id])).toEqual([]);
    expect((await auditOf(h, list.id)).pop()).toMatchObject({
      action: 'erase',
      purpose: 'case closed',
      details: { entries: 1 },
    });
    expect((await auditOf(h, entry.id)).pop()).toMatchObject({
      action: 'erase',
      details: { watchlistId: list.id, withWatchlist: true },
    });
  });

  it('refuses another region’s list as not found, and roles that do not keep lists', async () => {
    const list = await anAlmatyWatchlist(h, h.person('supervisor'), 'face');
    const remove = (actor = h.person('supervisor', ['AST'])) =>
      h.get(DeleteWatchlistUseCase).execute({ actor, id: list.id, purpose: 'x' });
    await expect(remove()).rejects.toBeInstanceOf(NotFoundError);
    await expect(remove(h.person('operator'))).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
