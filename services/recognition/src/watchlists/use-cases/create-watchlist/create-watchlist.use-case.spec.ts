import { OperationRefusedException } from '@safecity/security';
import { InvalidError } from '@safecity/service-kit';
import {
  anAlmatyWatchlist,
  auditOf,
  startUseCaseHarness,
  type UseCaseHarness,
} from '../../../../test/use-case-harness';
import { CreateWatchlistUseCase } from './create-watchlist.use-case';

describe('CreateWatchlistUseCase', () => {
  let h: UseCaseHarness;
  beforeAll(async () => (h = await startUseCaseHarness('uccrewl')));
  afterAll(() => h.close());

  const create = (actor = h.person('supervisor'), fields: Record<string, unknown> = {}) =>
    h.get(CreateWatchlistUseCase).execute({
      actor,
      watchlist: {
        kind: 'plate',
        name: 'Stolen vehicles',
        regionCode: 'ALA',
        legalBasis: 'Order 1/2026',
        owner: 'Almaty police',
        ...fields,
      },
    });

  it('creates the list in the caller’s region, marks it changed and audits who did', async () => {
    const keeper = h.person('region-admin');
    const list = await anAlmatyWatchlist(h, keeper, 'face');
    expect(list).toMatchObject({ kind: 'face', regionCode: 'ALA', category: 'other', threshold: 0.6 });
    expect(await auditOf(h, list.id)).toEqual([
      expect.objectContaining({
        action: 'create',
        actor_subject: keeper.subject,
        purpose: 'watchlist administration',
      }),
    ]);
    const changes = await h.query(`SELECT kind FROM watchlist_changes WHERE object_id = $1`, [list.id]);
    expect(changes).toEqual([{ kind: 'watchlist' }]);
  });

  it('refuses a region outside the caller’s scope, a face list without threshold and a plate list with one', async () => {
    await expect(create(h.person('supervisor', ['AST']))).rejects.toMatchObject({
      problems: [{ field: 'regionCode', reason: 'region ALA is outside your scope' }],
    });
    await expect(create(undefined, { kind: 'face' })).rejects.toMatchObject({
      problems: [{ field: 'threshold' }],
    });
    const plateWithThreshold = create(undefined, { threshold: 0.5 });
    await expect(plateWithThreshold).rejects.toBeInstanceOf(InvalidError);
    await expect(plateWithThreshold).rejects.toMatchObject({
      problems: [{ field: 'threshold', reason: 'applies to face watchlists only' }],
    });
  });

  it('is refused to roles that do not keep watchlists', async () => {
    await expect(create(h.person('operator'))).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
