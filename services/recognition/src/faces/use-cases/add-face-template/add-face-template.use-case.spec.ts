import { OperationRefusedException } from '@safecity/security';
import { InvalidError, NotFoundError } from '@safecity/service-kit';
import {
  aFaceSubject,
  anAlmatyWatchlist,
  aTemplate,
  auditOf,
  startUseCaseHarness,
  type UseCaseHarness,
} from '../../../../test/use-case-harness';
import { AddFaceTemplateUseCase } from './add-face-template.use-case';

describe('AddFaceTemplateUseCase', () => {
  let h: UseCaseHarness;
  let entryId: string;
  beforeAll(async () => {
    h = await startUseCaseHarness('ucaddtp');
    const keeper = h.person('supervisor');
    entryId = (await aFaceSubject(h, keeper, (await anAlmatyWatchlist(h, keeper, 'face')).id)).id;
  });
  afterAll(() => h.close());

  it('adds a template of another model to the subject, audited as an update naming it', async () => {
    const info = await h
      .get(AddFaceTemplateUseCase)
      .execute({ actor: h.person('supervisor'), entryId, template: aTemplate(5, 32, 'other-faces@2') });
    expect(info).toMatchObject({ entryId, model: 'other-faces@2', dimensions: 32 });
    expect((await auditOf(h, entryId)).pop()).toMatchObject({
      action: 'update',
      details: { enrolledTemplate: info.id },
    });
    expect(
      await h.query(`SELECT model FROM face_templates WHERE entry_id = $1 ORDER BY model`, [entryId]),
    ).toEqual([{ model: 'other-faces@2' }, { model: 'test-faces@1' }]);
  });

  it('refuses an all-zero vector, another region’s subject and other roles', async () => {
    const add = (actor = h.person('supervisor'), template = aTemplate(6)) =>
      h.get(AddFaceTemplateUseCase).execute({ actor, entryId, template });
    await expect(
      add(undefined, { model: 'test-faces@1', vector: new Array(16).fill(0) }),
    ).rejects.toBeInstanceOf(InvalidError);
    await expect(add(h.person('supervisor', ['AST']))).rejects.toBeInstanceOf(NotFoundError);
    await expect(add(h.person('operator'))).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
