import { OperationRefusedException } from '@safecity/security';
import { InvalidError } from '@safecity/service-kit';
import { encodeJpeg, FACE_TEMPLATE_MODEL, fixturePhotoBytes, plain } from '@safecity/vision';
import {
  anAlmatyWatchlist,
  auditOf,
  inAWeek,
  startUseCaseHarness,
  type UseCaseHarness,
} from '../../../../test/use-case-harness';
import { EnrolSubjectFromPhotoUseCase } from './enrol-subject-from-photo.use-case';

describe('EnrolSubjectFromPhotoUseCase', () => {
  let h: UseCaseHarness;
  let listId: string;
  beforeAll(async () => {
    h = await startUseCaseHarness('ucenrph');
    listId = (await anAlmatyWatchlist(h, h.person('supervisor'), 'face')).id;
  });
  afterAll(() => h.close());

  const enrol = (photo: Buffer, actor = h.person('supervisor'), keepPhoto?: boolean) =>
    h.get(EnrolSubjectFromPhotoUseCase).execute({
      actor,
      watchlistId: listId,
      subject: {
        subjectRef: 'case-photo',
        legalBasis: 'Court order 9/2026',
        owner: 'Almaty police',
        expiresAt: inAWeek(),
        photo: photo.toString('base64'),
        keepPhoto,
      },
    });

  it('enrols the photo’s one face with the current model, keeps the photo sealed and audits the enrolment', async () => {
    const entry = await enrol(fixturePhotoBytes('astronaut'));
    expect(entry).toMatchObject({ templateModel: FACE_TEMPLATE_MODEL, photo: 'kept' });
    expect(entry.templates).toEqual([expect.objectContaining({ model: FACE_TEMPLATE_MODEL })]);
    expect(
      await h.query(`SELECT template_model FROM face_entry_photos WHERE entry_id = $1`, [entry.id]),
    ).toEqual([{ template_model: FACE_TEMPLATE_MODEL }]);
    expect(await auditOf(h, entry.id)).toEqual([expect.objectContaining({ action: 'create' })]);
    const dropped = await enrol(fixturePhotoBytes('astronaut'), undefined, false);
    expect(dropped.photo).toBe('dropped');
    expect(await h.query(`SELECT id FROM face_entry_photos WHERE entry_id = $1`, [dropped.id])).toEqual([]);
  });

  it('refuses a photo without a face, naming the photo, and enrols nothing', async () => {
    const before = await h.query(`SELECT id FROM face_watchlist_entries`);
    const none = enrol(encodeJpeg(plain(320, 240)));
    await expect(none).rejects.toBeInstanceOf(InvalidError);
    await expect(none).rejects.toMatchObject({
      problems: [{ field: 'photo', reason: expect.stringContaining('no face') }],
    });
    expect(await h.query(`SELECT id FROM face_watchlist_entries`)).toHaveLength(before.length);
  });

  it('is refused to roles that do not keep watchlists', async () => {
    await expect(enrol(fixturePhotoBytes('astronaut'), h.person('operator'))).rejects.toBeInstanceOf(
      OperationRefusedException,
    );
  });
});
