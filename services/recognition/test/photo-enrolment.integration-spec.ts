import { EventTypes, recognition } from '@safecity/contracts';
import { CeHeader } from '@safecity/messaging';
import { eventually } from '@safecity/testing';
import {
  encodeJpeg,
  exposed,
  FACE_TEMPLATE_MODEL,
  fixturePhoto,
  fixturePhotoBytes,
  mirrored,
  plain,
  sideBySide,
  VisionModels,
} from '@safecity/vision';
import type { DirectoryCamera } from '../src/camera-directory/camera-directory.repository';
import { startMatchingWorld, type MatchingWorld } from './matching-harness';

const inAMonth = () => new Date(Date.now() + 30 * 24 * 3600 * 1000).toISOString();
const base64 = (bytes: Buffer) => bytes.toString('base64');

/**
 * Enrolment from photos with the packaged face model, and the faces the platform's own analytics
 * send for it. Loads the models once (a few seconds) and analyses about ten pictures.
 */
describe('face watchlists: enrolment from a photo', () => {
  let world: MatchingWorld;
  let listId: string;
  let camera: DirectoryCamera;

  beforeAll(async () => {
    world = await startMatchingWorld('recphoto');
    camera = await world.camera('ALA');
    const keeper = await world.as('supervisor', ['ALA'], 'keeper-ala');
    const { body } = await keeper
      .post('/watchlists')
      .send({
        kind: 'face',
        name: 'Missing persons, Almaty',
        regionCode: 'ALA',
        category: 'missing-person',
        threshold: 0.7,
        legalBasis: 'Search file 14-3/2026',
        owner: 'ALA police, missing persons unit',
      })
      .expect(201);
    listId = body.id;
  }, 60_000);

  afterAll(async () => {
    await world?.close();
  });

  const subject = (photo: Buffer, extra: Record<string, unknown> = {}) => ({
    subjectRef: `file-14-3/${Math.random().toString(36).slice(2, 8)}`,
    legalBasis: 'Search file 14-3/2026',
    owner: 'ALA police, missing persons unit',
    expiresAt: inAMonth(),
    photo: base64(photo),
    ...extra,
  });

  let enrolledId: string;

  it('enrols the one face of a photo with a template of the current model and keeps the photo sealed', async () => {
    const keeper = await world.as('supervisor', ['ALA'], 'keeper-ala');
    const { body } = await keeper
      .post(`/watchlists/${listId}/subjects/photo`)
      .send(subject(fixturePhotoBytes('astronaut')))
      .expect(201);
    enrolledId = body.id;
    expect(body).toMatchObject({ templateModel: FACE_TEMPLATE_MODEL, photo: 'kept' });
    expect(body.templates).toEqual([
      expect.objectContaining({ model: FACE_TEMPLATE_MODEL, dimensions: 1024 }),
    ]);
    expect(JSON.stringify(body)).not.toContain(base64(fixturePhotoBytes('astronaut')).slice(100, 160));
    const photos = await world.sql(
      `SELECT sealed, template_model FROM recognition.face_entry_photos WHERE entry_id = $1`,
      [enrolledId],
    );
    expect(photos).toHaveLength(1);
    expect(photos[0].template_model).toBe(FACE_TEMPLATE_MODEL);
    // Sealed: neither the JPEG's header nor its pixels' bytes are in the stored row.
    const stored = photos[0].sealed as Buffer;
    expect(stored.includes(fixturePhotoBytes('astronaut').subarray(0, 64))).toBe(false);
    expect(stored.includes(fixturePhotoBytes('astronaut').subarray(4000, 4064))).toBe(false);
  });

  it('drops the photo when asked to', async () => {
    const keeper = await world.as('supervisor', ['ALA'], 'keeper-ala');
    const photo = encodeJpeg(exposed(fixturePhoto('astronaut'), 0.8));
    const { body } = await keeper
      .post(`/watchlists/${listId}/subjects/photo`)
      .send(subject(photo, { keepPhoto: false }))
      .expect(201);
    expect(body.photo).toBe('dropped');
    expect(
      await world.sql(`SELECT 1 FROM recognition.face_entry_photos WHERE entry_id = $1`, [body.id]),
    ).toEqual([]);
  });

  it('refuses with 422 a photo with two faces, with none, or that is not a picture, saying why', async () => {
    const keeper = await world.as('supervisor', ['ALA'], 'keeper-ala');
    const refusal = async (photo: Buffer) =>
      (await keeper.post(`/watchlists/${listId}/subjects/photo`).send(subject(photo)).expect(422)).body;
    const two = await refusal(encodeJpeg(sideBySide(fixturePhoto('astronaut'), fixturePhoto('cameraman'))));
    expect(JSON.stringify(two)).toContain('2 faces were found in the photo; it must show exactly one person');
    const none = await refusal(encodeJpeg(plain(320, 240)));
    expect(JSON.stringify(none)).toContain('no face was found in the photo');
    const text = await refusal(Buffer.from('this is not a picture at all'));
    expect(JSON.stringify(text)).toContain('must be a JPEG or PNG picture');
    const entries = await world.sql(`SELECT count(*)::int AS n FROM recognition.face_watchlist_entries`);
    expect(entries[0].n).toBe(2);
  });

  it("matches the platform analytics' template of the same face from another picture, and not another person's", async () => {
    const models = VisionModels.shared();
    const probe = async (image: ReturnType<typeof fixturePhoto>) =>
      (await models.analyse(image, { faceEmbeddings: true })).faces[0].embedding!;
    const service = await world.as('service', 'all', 'video-analytics');
    const send = async (vendorEventId: string, vector: Float32Array) =>
      service
        .post('/ingest/v1/platform-analytics')
        .set('content-type', 'application/json')
        .send({
          videoSystemId: camera.videoSystemId,
          regionCode: 'ALA',
          detections: [
            {
              vendorEventId,
              cameraExternalId: camera.externalId,
              observedAt: new Date().toISOString(),
              kind: 'face',
              frameBox: { x: 0.3, y: 0.1, width: 0.3, height: 0.3 },
              face: {
                template: Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength).toString('base64'),
                templateModel: FACE_TEMPLATE_MODEL,
                quality: 0.9,
                confidence: 0.99,
              },
            },
          ],
        })
        .expect(200);
    const same = await send('va-1', await probe(mirrored(fixturePhoto('astronaut'))));
    expect(same.body.accepted).toBe(1);
    const record = await eventually(
      () => world.published.find((r) => r.headers[CeHeader.Type] === EventTypes.FaceMatched),
      { message: 'FaceMatched' },
    );
    const match = recognition.FaceMatched.decode(record.value).match!;
    expect(match.candidates[0].entryId).toBe(enrolledId);
    expect(match.status).toBe(recognition.MatchStatus.MATCH_STATUS_PENDING_VERIFICATION);

    const before = world.published.filter((r) => r.headers[CeHeader.Type] === EventTypes.FaceMatched).length;
    await send('va-2', await probe(fixturePhoto('cameraman')));
    await new Promise((r) => setTimeout(r, 500));
    expect(world.published.filter((r) => r.headers[CeHeader.Type] === EventTypes.FaceMatched)).toHaveLength(
      before,
    );
  });

  it('only platform services deliver analytics on behalf of video systems', async () => {
    const operator = await world.as('operator', ['ALA']);
    await operator
      .post('/ingest/v1/platform-analytics')
      .set('content-type', 'application/json')
      .send({ videoSystemId: camera.videoSystemId, regionCode: 'ALA', detections: [] })
      .expect(403);
  });

  it('after a change of model, re-enrols from kept photos and flags the entries without one', async () => {
    const keeper = await world.as('supervisor', ['ALA'], 'keeper-ala');
    // An entry enrolled with a vector of an older model, and no photo.
    const vector = Array.from({ length: 1024 }, (_, i) => Math.sin(i + 1));
    const { body: old } = await keeper
      .post(`/watchlists/${listId}/subjects`)
      .send({
        ...subject(Buffer.alloc(0)),
        photo: undefined,
        templates: [{ model: 'human-faceres@3.0.0', vector }],
      })
      .expect(201);
    // The first entry as if enrolled before the current model: no template of it, its kept photo remains.
    await world.sql(`DELETE FROM recognition.face_templates WHERE entry_id = $1`, [enrolledId]);
    const admin = await world.as('admin', 'all', 'admin-1');
    const { body: report } = await admin.post('/face-entries/reenrolment').expect(200);
    expect(report.model).toBe(FACE_TEMPLATE_MODEL);
    expect(report.reenrolled).toContain(enrolledId);
    expect(report.needNewPhoto).toEqual([old.id]);
    const models = await world.sql(
      `SELECT model FROM recognition.face_templates WHERE entry_id = $1 ORDER BY model`,
      [enrolledId],
    );
    expect(models.map((m) => m.model)).toEqual([FACE_TEMPLATE_MODEL]);
    expect(await world.sql(`SELECT entry_id FROM recognition.face_entries_needing_photo`)).toEqual([
      { entry_id: old.id },
    ]);
    // A new photo clears the flag.
    await keeper
      .post(`/face-entries/${old.id}/photos`)
      .send({ photo: base64(encodeJpeg(exposed(fixturePhoto('astronaut'), 1.1))) })
      .expect(201);
    expect(await world.sql(`SELECT entry_id FROM recognition.face_entries_needing_photo`)).toEqual([]);
    await keeper.post('/face-entries/reenrolment').expect(403);
  });
});
