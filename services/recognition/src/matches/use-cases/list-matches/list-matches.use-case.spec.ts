import { OperationRefusedException } from '@safecity/security';
import {
  aRaisedMatch,
  auditOf,
  startUseCaseHarness,
  type UseCaseHarness,
} from '../../../../test/use-case-harness';
import { ListMatchesUseCase } from './list-matches.use-case';

describe('ListMatchesUseCase', () => {
  let h: UseCaseHarness;
  const almaty: string[] = [];
  beforeAll(async () => {
    h = await startUseCaseHarness('uclstmt');
    for (const kind of ['plate', 'face', 'plate'] as const) almaty.push(await aRaisedMatch(h, kind));
    await aRaisedMatch(h, 'plate', 'AST');
  });
  afterAll(() => h.close());

  const list = (actor: ReturnType<UseCaseHarness['person']>, filter: Record<string, unknown> = {}) =>
    h.get(ListMatchesUseCase).execute({ actor, purpose: 'shift review', filter: { limit: 2, ...filter } });

  it('pages through the matches of the caller’s regions, newest first, each one a view audited', async () => {
    const actor = h.person('supervisor');
    const first = await list(actor);
    expect(first.items).toHaveLength(2);
    const second = await list(actor, { after: first.next! });
    expect(second.next).toBeNull();
    const ids = [...first.items, ...second.items].map((i) => i.match.id);
    expect(ids.sort()).toEqual([...almaty].sort());
    for (const id of ids)
      expect((await auditOf(h, id)).pop()).toMatchObject({ action: 'read', purpose: 'shift review' });
    const plates = await list(actor, { kind: 'plate', limit: 10 });
    expect(plates.items.map((i) => i.kind)).toEqual(['plate', 'plate']);
  });

  it('answers a region outside the caller’s scope with an empty page, and refuses analysts', async () => {
    expect(await list(h.person('operator'), { regionCode: 'AST' })).toEqual({ items: [], next: null });
    await expect(list(h.person('analyst'))).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
