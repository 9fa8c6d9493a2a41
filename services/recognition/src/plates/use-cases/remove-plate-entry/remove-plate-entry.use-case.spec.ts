import { OperationRefusedException } from '@safecity/security';
import { NotFoundError } from '@safecity/service-kit';
import {
  anAlmatyWatchlist,
  aPlateEntry,
  auditOf,
  startUseCaseHarness,
  type UseCaseHarness,
} from '../../../../test/use-case-harness';
import { RemovePlateEntryUseCase } from './remove-plate-entry.use-case';

describe('RemovePlateEntryUseCase', () => {
  let h: UseCaseHarness;
  let listId: string;
  beforeAll(async () => {
    h = await startUseCaseHarness('ucrmpl');
    listId = (await anAlmatyWatchlist(h, h.person('supervisor'), 'plate')).id;
  });
  afterAll(() => h.close());

  it('erases the entry, marks it changed and audits the erasure with its purpose', async () => {
    const keeper = h.person('supervisor');
    const { id } = await aPlateEntry(h, keeper, listId);
    await h.get(RemovePlateEntryUseCase).execute({ actor: keeper, id, purpose: 'vehicle found' });
    expect(await h.query(`SELECT id FROM plate_hotlist_entries WHERE id = $1`, [id])).toEqual([]);
    expect((await auditOf(h, id)).pop()).toMatchObject({ action: 'erase', purpose: 'vehicle found' });
    expect(await h.query(`SELECT kind FROM watchlist_changes WHERE object_id = $1`, [id])).toHaveLength(2);
    await expect(
      h.get(RemovePlateEntryUseCase).execute({ actor: keeper, id, purpose: 'again' }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it('refuses roles that do not keep hotlists', async () => {
    const { id } = await aPlateEntry(h, h.person('supervisor'), listId);
    await expect(
      h.get(RemovePlateEntryUseCase).execute({ actor: h.person('operator'), id, purpose: 'x' }),
    ).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
