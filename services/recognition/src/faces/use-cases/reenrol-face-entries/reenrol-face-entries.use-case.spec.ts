import { OperationRefusedException } from '@safecity/security';
import { FACE_TEMPLATE_MODEL, fixturePhotoBytes } from '@safecity/vision';
import {
  aFaceSubject,
  anAlmatyWatchlist,
  inAWeek,
  startUseCaseHarness,
  type UseCaseHarness,
} from '../../../../test/use-case-harness';
import { EnrolSubjectFromPhotoUseCase } from '../enrol-subject-from-photo/enrol-subject-from-photo.use-case';
import { ReenrolFaceEntriesUseCase } from './reenrol-face-entries.use-case';

describe('ReenrolFaceEntriesUseCase', () => {
  let h: UseCaseHarness;
  beforeAll(async () => (h = await startUseCaseHarness('ucreenr')));
  afterAll(() => h.close());

  it('re-enrols subjects from their kept photos and flags those without one', async () => {
    const keeper = h.person('supervisor');
    const listId = (await anAlmatyWatchlist(h, keeper, 'face')).id;
    const withPhoto = await h.get(EnrolSubjectFromPhotoUseCase).execute({
      actor: keeper,
      watchlistId: listId,
      subject: {
        subjectRef: 'p',
        legalBasis: 'Court order',
        owner: 'x',
        expiresAt: inAWeek(),
        photo: fixturePhotoBytes('astronaut').toString('base64'),
      },
    });
    // As if enrolled under an earlier model: its template of the current one is gone, the photo stays.
    await h.query(`DELETE FROM face_templates WHERE entry_id = $1`, [withPhoto.id]);
    const withoutPhoto = await aFaceSubject(h, keeper, listId, 4);
    const report = await h.get(ReenrolFaceEntriesUseCase).execute({ actor: h.person('admin', 'all') });
    expect(report).toEqual({
      model: FACE_TEMPLATE_MODEL,
      reenrolled: [withPhoto.id],
      needNewPhoto: [withoutPhoto.id],
    });
    expect(await h.query(`SELECT model FROM face_templates WHERE entry_id = $1`, [withPhoto.id])).toEqual([
      { model: FACE_TEMPLATE_MODEL },
    ]);
    expect(await h.query(`SELECT entry_id FROM face_entries_needing_photo`)).toEqual([
      { entry_id: withoutPhoto.id },
    ]);
  });

  it('is refused to regional administrators: it runs over every region', async () => {
    await expect(
      h.get(ReenrolFaceEntriesUseCase).execute({ actor: h.person('admin', ['ALA']) }),
    ).rejects.toBeInstanceOf(OperationRefusedException);
    await expect(
      h.get(ReenrolFaceEntriesUseCase).execute({ actor: h.person('supervisor', 'all') }),
    ).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
