import { OperationRefusedException } from '@safecity/security';
import { NotFoundError } from '@safecity/service-kit';
import {
  aFaceSubject,
  anAlmatyWatchlist,
  auditOf,
  startUseCaseHarness,
  type UseCaseHarness,
} from '../../../../test/use-case-harness';
import { GetFaceEntryUseCase } from './get-face-entry.use-case';

describe('GetFaceEntryUseCase', () => {
  let h: UseCaseHarness;
  let id: string;
  beforeAll(async () => {
    h = await startUseCaseHarness('ucgetfc');
    const keeper = h.person('supervisor');
    id = (await aFaceSubject(h, keeper, (await anAlmatyWatchlist(h, keeper, 'face')).id)).id;
  });
  afterAll(() => h.close());

  it('gives the subject with its templates’ model and size, the read audited with its purpose', async () => {
    const actor = h.person('region-admin');
    const entry = await h.get(GetFaceEntryUseCase).execute({ actor, id, purpose: 'review' });
    expect(entry.templates).toEqual([expect.objectContaining({ model: 'test-faces@1', dimensions: 16 })]);
    expect((await auditOf(h, id)).pop()).toMatchObject({
      action: 'read',
      actor_subject: actor.subject,
      purpose: 'review',
    });
  });

  it('answers another region’s subject like a missing one, and refuses other roles', async () => {
    const get = (actor: ReturnType<UseCaseHarness['person']>) =>
      h.get(GetFaceEntryUseCase).execute({ actor, id, purpose: 'x' });
    await expect(get(h.person('supervisor', ['AST']))).rejects.toEqual(
      new NotFoundError(`watchlist subject ${id} not found`),
    );
    await expect(get(h.person('operator'))).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
