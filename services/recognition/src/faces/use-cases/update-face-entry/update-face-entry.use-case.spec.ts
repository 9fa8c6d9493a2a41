import { OperationRefusedException } from '@safecity/security';
import { InvalidError, NotFoundError } from '@safecity/service-kit';
import {
  aFaceSubject,
  anAlmatyWatchlist,
  auditOf,
  startUseCaseHarness,
  type UseCaseHarness,
} from '../../../../test/use-case-harness';
import { UpdateFaceEntryUseCase } from './update-face-entry.use-case';

describe('UpdateFaceEntryUseCase', () => {
  let h: UseCaseHarness;
  let id: string;
  beforeAll(async () => {
    h = await startUseCaseHarness('ucupdfc');
    const keeper = h.person('supervisor');
    id = (await aFaceSubject(h, keeper, (await anAlmatyWatchlist(h, keeper, 'face')).id)).id;
  });
  afterAll(() => h.close());

  it('makes the subject national for national staff, audited with the fields changed', async () => {
    const updated = await h
      .get(UpdateFaceEntryUseCase)
      .execute({ actor: h.person('admin', 'all'), id, fields: { national: true, owner: 'National police' } });
    expect(updated).toMatchObject({ regions: 'national', owner: 'National police', subjectRef: 'case-1' });
    expect((await auditOf(h, id)).pop()).toMatchObject({
      action: 'update',
      details: { fields: ['national', 'owner'] },
    });
  });

  it('refuses national matching to regional staff, another region’s subject and other roles', async () => {
    const update = (actor: ReturnType<UseCaseHarness['person']>, fields = {}) =>
      h.get(UpdateFaceEntryUseCase).execute({ actor, id, fields });
    await expect(update(h.person('supervisor'), { national: true })).rejects.toBeInstanceOf(InvalidError);
    await expect(update(h.person('supervisor', ['AST']))).rejects.toBeInstanceOf(NotFoundError);
    await expect(update(h.person('operator'))).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
