import { OperationRefusedException } from '@safecity/security';
import { NotFoundError } from '@safecity/service-kit';
import {
  aFaceSubject,
  anAlmatyWatchlist,
  auditOf,
  startUseCaseHarness,
  type UseCaseHarness,
} from '../../../../test/use-case-harness';
import { RemoveFaceEntryUseCase } from './remove-face-entry.use-case';

describe('RemoveFaceEntryUseCase', () => {
  let h: UseCaseHarness;
  let listId: string;
  beforeAll(async () => {
    h = await startUseCaseHarness('ucrmfc');
    listId = (await anAlmatyWatchlist(h, h.person('supervisor'), 'face')).id;
  });
  afterAll(() => h.close());

  it('erases the subject with its templates, the erasure audited with its purpose', async () => {
    const keeper = h.person('supervisor');
    const { id } = await aFaceSubject(h, keeper, listId);
    await h.get(RemoveFaceEntryUseCase).execute({ actor: keeper, id, purpose: 'person found' });
    expect(await h.query(`SELECT id FROM face_templates WHERE entry_id = $1`, [id])).toEqual([]);
    expect((await auditOf(h, id)).pop()).toMatchObject({ action: 'erase', purpose: 'person found' });
  });

  it('answers another region’s subject as not found and refuses other roles', async () => {
    const { id } = await aFaceSubject(h, h.person('supervisor'), listId, 2);
    const remove = (actor: ReturnType<UseCaseHarness['person']>) =>
      h.get(RemoveFaceEntryUseCase).execute({ actor, id, purpose: 'x' });
    await expect(remove(h.person('supervisor', ['AST']))).rejects.toBeInstanceOf(NotFoundError);
    await expect(remove(h.person('analyst'))).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
