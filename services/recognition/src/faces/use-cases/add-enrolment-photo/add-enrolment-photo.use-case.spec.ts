import { OperationRefusedException } from '@safecity/security';
import { NotFoundError } from '@safecity/service-kit';
import { FACE_TEMPLATE_MODEL, fixturePhotoBytes } from '@safecity/vision';
import {
  aFaceSubject,
  anAlmatyWatchlist,
  auditOf,
  startUseCaseHarness,
  type UseCaseHarness,
} from '../../../../test/use-case-harness';
import { AddEnrolmentPhotoUseCase } from './add-enrolment-photo.use-case';

describe('AddEnrolmentPhotoUseCase', () => {
  let h: UseCaseHarness;
  let entryId: string;
  beforeAll(async () => {
    h = await startUseCaseHarness('ucaddph');
    const keeper = h.person('supervisor');
    entryId = (await aFaceSubject(h, keeper, (await anAlmatyWatchlist(h, keeper, 'face')).id)).id;
  });
  afterAll(() => h.close());

  const photo = fixturePhotoBytes('astronaut').toString('base64');

  it('adds a template of the current model, keeps the photo and clears the subject’s flag', async () => {
    await h.query(
      `INSERT INTO face_entries_needing_photo (entry_id, region_code, model) VALUES ($1, 'ALA', $2)`,
      [entryId, FACE_TEMPLATE_MODEL],
    );
    const added = await h
      .get(AddEnrolmentPhotoUseCase)
      .execute({ actor: h.person('supervisor'), entryId, photo: { photo } });
    expect(added).toMatchObject({ entryId, model: FACE_TEMPLATE_MODEL, photo: 'kept' });
    expect(added.faceQuality).toBeGreaterThan(0);
    expect(await h.query(`SELECT entry_id FROM face_entries_needing_photo`)).toEqual([]);
    expect(await h.query(`SELECT id FROM face_entry_photos WHERE entry_id = $1`, [entryId])).toHaveLength(1);
    expect((await auditOf(h, entryId)).pop()).toMatchObject({
      action: 'update',
      details: { enrolledTemplate: added.id },
    });
  });

  it('answers another region’s subject as not found and refuses other roles', async () => {
    const add = (actor: ReturnType<UseCaseHarness['person']>) =>
      h.get(AddEnrolmentPhotoUseCase).execute({ actor, entryId, photo: { photo } });
    await expect(add(h.person('supervisor', ['AST']))).rejects.toBeInstanceOf(NotFoundError);
    await expect(add(h.person('operator'))).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
