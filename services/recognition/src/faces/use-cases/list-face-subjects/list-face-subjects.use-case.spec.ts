import { OperationRefusedException } from '@safecity/security';
import { NotFoundError } from '@safecity/service-kit';
import {
  aFaceSubject,
  anAlmatyWatchlist,
  auditOf,
  startUseCaseHarness,
  type UseCaseHarness,
} from '../../../../test/use-case-harness';
import { ListFaceSubjectsUseCase } from './list-face-subjects.use-case';

describe('ListFaceSubjectsUseCase', () => {
  let h: UseCaseHarness;
  let listId: string;
  beforeAll(async () => {
    h = await startUseCaseHarness('uclstfc');
    const keeper = h.person('supervisor');
    listId = (await anAlmatyWatchlist(h, keeper, 'face')).id;
    for (const seed of [1, 2, 3]) await aFaceSubject(h, keeper, listId, seed);
  });
  afterAll(() => h.close());

  it('pages through the subjects, each one on a page a read audited with the purpose', async () => {
    const actor = h.person('supervisor');
    const list = (cursor?: string) =>
      h
        .get(ListFaceSubjectsUseCase)
        .execute({ actor, watchlistId: listId, query: { limit: 2, cursor }, purpose: 'audit' });
    const first = await list();
    const second = await list(first.nextCursor!);
    const all = [...first.items, ...second.items];
    expect(all.map((e) => e.subjectRef).sort()).toEqual(['case-1', 'case-2', 'case-3']);
    expect(second.nextCursor).toBeNull();
    for (const entry of all)
      expect((await auditOf(h, entry.id)).pop()).toMatchObject({ action: 'read', purpose: 'audit' });
  });

  it('answers another region’s list as not found and refuses other roles', async () => {
    const list = (actor: ReturnType<UseCaseHarness['person']>) =>
      h.get(ListFaceSubjectsUseCase).execute({ actor, watchlistId: listId, query: {}, purpose: 'x' });
    await expect(list(h.person('supervisor', ['AST']))).rejects.toBeInstanceOf(NotFoundError);
    await expect(list(h.person('operator'))).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
