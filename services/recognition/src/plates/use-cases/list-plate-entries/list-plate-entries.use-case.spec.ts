import { OperationRefusedException } from '@safecity/security';
import { NotFoundError } from '@safecity/service-kit';
import {
  anAlmatyWatchlist,
  aPlateEntry,
  auditOf,
  startUseCaseHarness,
  type UseCaseHarness,
} from '../../../../test/use-case-harness';
import { ListPlateEntriesUseCase } from './list-plate-entries.use-case';

describe('ListPlateEntriesUseCase', () => {
  let h: UseCaseHarness;
  let listId: string;
  beforeAll(async () => {
    h = await startUseCaseHarness('uclstpl');
    const keeper = h.person('supervisor');
    listId = (await anAlmatyWatchlist(h, keeper, 'plate')).id;
    for (const plate of ['111AAA02', '222BBB02', '333CCC02']) await aPlateEntry(h, keeper, listId, plate);
  });
  afterAll(() => h.close());

  it('pages through the entries, each one on a page a read audited with the purpose', async () => {
    const actor = h.person('region-admin');
    const list = (cursor?: string) =>
      h
        .get(ListPlateEntriesUseCase)
        .execute({ actor, watchlistId: listId, query: { limit: 2, cursor }, purpose: 'audit' });
    const first = await list();
    const second = await list(first.nextCursor!);
    expect(second.nextCursor).toBeNull();
    const all = [...first.items, ...second.items];
    expect(all.map((e) => e.plate).sort()).toEqual(['111AAA02', '222BBB02', '333CCC02']);
    for (const entry of all) {
      expect((await auditOf(h, entry.id)).pop()).toMatchObject({
        action: 'read',
        actor_subject: actor.subject,
        purpose: 'audit',
      });
    }
  });

  it('answers another region’s list as not found and refuses other roles', async () => {
    const list = (actor: ReturnType<UseCaseHarness['person']>) =>
      h.get(ListPlateEntriesUseCase).execute({ actor, watchlistId: listId, query: {}, purpose: 'x' });
    await expect(list(h.person('supervisor', ['AST']))).rejects.toBeInstanceOf(NotFoundError);
    await expect(list(h.person('operator'))).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
