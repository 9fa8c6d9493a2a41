import { OperationRefusedException } from '@safecity/security';
import { InvalidError, NotFoundError } from '@safecity/service-kit';
import {
  anAlmatyWatchlist,
  auditOf,
  startUseCaseHarness,
  type UseCaseHarness,
} from '../../../../test/use-case-harness';
import { UpdateWatchlistUseCase } from './update-watchlist.use-case';

describe('UpdateWatchlistUseCase', () => {
  let h: UseCaseHarness;
  beforeAll(async () => (h = await startUseCaseHarness('ucupdwl')));
  afterAll(() => h.close());

  it('changes a face list’s threshold and name, audited with the fields it changed', async () => {
    const keeper = h.person('supervisor');
    const list = await anAlmatyWatchlist(h, keeper, 'face');
    const updated = await h
      .get(UpdateWatchlistUseCase)
      .execute({ actor: keeper, id: list.id, fields: { name: 'Missing people', threshold: 0.7 } });
    expect(updated).toMatchObject({ name: 'Missing people', threshold: 0.7, legalBasis: list.legalBasis });
    const audit = await auditOf(h, list.id);
    expect(audit[1]).toMatchObject({ action: 'update', details: { fields: ['name', 'threshold'] } });
  });

  it('refuses face fields on a plate list, and another region’s list as not found', async () => {
    const list = await anAlmatyWatchlist(h, h.person('supervisor'), 'plate');
    const update = (actor = h.person('supervisor')) =>
      h.get(UpdateWatchlistUseCase).execute({ actor, id: list.id, fields: { category: 'wanted' } });
    await expect(update()).rejects.toBeInstanceOf(InvalidError);
    await expect(update(h.person('supervisor', ['AST']))).rejects.toBeInstanceOf(NotFoundError);
    await expect(update(h.person('operator'))).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
