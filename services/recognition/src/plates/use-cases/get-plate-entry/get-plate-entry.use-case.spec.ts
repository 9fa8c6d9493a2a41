import { OperationRefusedException } from '@safecity/security';
import { NotFoundError } from '@safecity/service-kit';
import {
  anAlmatyWatchlist,
  aPlateEntry,
  auditOf,
  startUseCaseHarness,
  type UseCaseHarness,
} from '../../../../test/use-case-harness';
import { GetPlateEntryUseCase } from './get-plate-entry.use-case';

describe('GetPlateEntryUseCase', () => {
  let h: UseCaseHarness;
  let id: string;
  beforeAll(async () => {
    h = await startUseCaseHarness('ucgetpl');
    const keeper = h.person('supervisor');
    id = (await aPlateEntry(h, keeper, (await anAlmatyWatchlist(h, keeper, 'plate')).id)).id;
  });
  afterAll(() => h.close());

  it('gives the entry, its read audited with the purpose', async () => {
    const actor = h.person('admin', 'all');
    expect(await h.get(GetPlateEntryUseCase).execute({ actor, id, purpose: 'review' })).toMatchObject({
      id,
      plate: '123ABC02',
    });
    expect((await auditOf(h, id)).pop()).toMatchObject({
      action: 'read',
      actor_subject: actor.subject,
      purpose: 'review',
    });
  });

  it('answers another region’s entry like a missing one, and refuses other roles', async () => {
    const get = (actor: ReturnType<UseCaseHarness['person']>) =>
      h.get(GetPlateEntryUseCase).execute({ actor, id, purpose: 'x' });
    await expect(get(h.person('supervisor', ['AST']))).rejects.toEqual(
      new NotFoundError(`hotlist entry ${id} not found`),
    );
    await expect(get(h.person('operator'))).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
