import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventTypes, recognition, Topics } from '@safecity/contracts';
import { CeHeader, type ConsumedRecord } from '@safecity/messaging';
import { freeLoopbackPort } from '@safecity/persistence';
import { loadConfig } from '@safecity/service-kit';
import { createTestDatabase, eventually, RtspTestServer, SnapshotTestServer } from '@safecity/testing';
import type { CameraSource, FrameAnalyser } from '@safecity/video-analytics';
import { fixturePhotoBytes, fixturePhoto, VisionModels } from '@safecity/vision';
import request from 'supertest';
import { AllInOneConfig } from '../src/config';
import { startPlatform, type RunningPlatform } from '../src/platform';
import { RecordedFall } from './recorded-fall';

const FIXTURES = join(__dirname, '..', '..', '..', 'libs', 'vision', 'test', 'fixtures');
const CAMERA_LOGIN = { username: 'viewer', password: 'Kz-cam-2026!' };
/** The lower 60% of the frame. */
const GROUND = [
  { x: 0, y: 0.4 },
  { x: 1, y: 0.4 },
  { x: 1, y: 1 },
  { x: 0, y: 1 },
];

/*
 * The platform's own analytics end to end, in the embedded default with the packaged models:
 * a synthetic RTSP stream (ffmpeg's testsrc with a fixture face) and snapshot endpoints of the
 * test's own, read by video-analytics, delivered to recognition, matched, alerted, made incidents.
 */
describe('video analytics: cameras without analytics of their own, end to end', () => {
  let db: { url: string; drop(): Promise<void> };
  let platform: RunningPlatform;
  let registry: ReturnType<typeof request.agent>;
  let recognitionApi: ReturnType<typeof request.agent>;
  let incidentsApi: ReturnType<typeof request.agent>;
  let analyticsApi: ReturnType<typeof request.agent>;
  let rtsp: RtspTestServer;
  let snapshots: SnapshotTestServer;
  const published: ConsumedRecord[] = [];
  let videoSystemId: string;
  const fallAnalysers = new Map<string, FrameAnalyser>();

  beforeAll(async () => {
    db = await createTestDatabase('videoanalytics');
    const config = loadConfig(AllInOneConfig, {
      DATA_DIR: mkdtempSync(join(tmpdir(), 'safecity-analytics-')),
      DATABASE_URL: db.url,
      CAMERA_REGISTRY_HTTP_PORT: '0',
      RECOGNITION_HTTP_PORT: '0',
      INCIDENTS_HTTP_PORT: '0',
      PREVENTION_HTTP_PORT: '0',
      VIDEO_ANALYTICS_HTTP_PORT: '0',
      CAMERA_REGISTRY_GRPC_PORT: String(await freeLoopbackPort()),
      RECOGNITION_GRPC_PORT: String(await freeLoopbackPort()),
      INCIDENTS_GRPC_PORT: String(await freeLoopbackPort()),
      PREVENTION_GRPC_PORT: String(await freeLoopbackPort()),
    });
    platform = await startPlatform(config, {
      videoAnalytics: {
        healthIntervalMs: 2_000,
        // The fall camera's poses are replayed from keypoints recorded from the fixture; every other
        // camera's frames go through the packaged models.
        analyserFor: (source: CameraSource) => fallAnalysers.get(source.cameraId) ?? VisionModels.shared(),
      },
    });
    platform.bus.subscribe(
      'test-observer',
      [Topics.Matches, Topics.Alerts],
      async (r) => void published.push(r),
    );
    const [registryUrl, recognitionUrl, incidentsUrl, , analyticsUrl] = platform.services.map(
      (s) => s.httpUrl,
    );
    const admin = `Bearer ${await platform.issuer.issue({ subject: 'test-admin', roles: ['admin'], regions: 'all' })}`;
    registry = request.agent(registryUrl).set('authorization', admin);
    recognitionApi = request.agent(recognitionUrl).set('authorization', admin);
    incidentsApi = request.agent(incidentsUrl).set('authorization', admin);
    analyticsApi = request.agent(analyticsUrl).set('authorization', admin);

    rtsp = new RtspTestServer({
      frameRate: 4,
      credentials: CAMERA_LOGIN,
      input: [
        '-f',
        'lavfi',
        '-i',
        'testsrc=size=640x480:rate=4',
        '-loop',
        '1',
        '-framerate',
        '4',
        '-i',
        join(FIXTURES, 'astronaut.jpg'),
        '-filter_complex',
        '[1:v]scale=300:300[face];[0:v][face]overlay=170:90',
      ],
    });
    await rtsp.start();
    snapshots = new SnapshotTestServer(CAMERA_LOGIN);
    await snapshots.start();

    const system = await registry
      .post('/video-systems')
      .send({
        regionCode: 'ALA',
        name: 'Akimat NVR, no analytics',
        vendor: 'other',
        ingestionMethod: 'canonical-push',
      })
      .expect(201);
    videoSystemId = system.body.id;
  }, 120_000);

  afterAll(async () => {
    await platform?.stop();
    await rtsp?.stop();
    await snapshots?.stop();
    await db?.drop();
  });

  async function camera(externalId: string): Promise<string> {
    const { body } = await registry
      .post('/cameras')
      .send({
        videoSystemId,
        externalId,
        name: `Almaty ${externalId}`,
        location: { lat: 43.2383, lon: 76.9454 },
        capabilities: [],
      })
      .expect(201);
    return body.id;
  }

  /** A behaviour rule, once recognition's camera directory has the new camera. */
  const rule = (cameraId: string, body: Record<string, unknown>) =>
    eventually(
      async () =>
        (await recognitionApi.post(`/cameras/${cameraId}/behaviour-rules`).send(body)).status === 201,
      { message: 'behaviour rule', intervalMs: 200 },
    );

  /** Removing the media source stops the watcher (and frees the models for the next test). */
  async function stopWatching(cameraId: string) {
    await registry.delete(`/cameras/${cameraId}/media-source`).expect(204);
    await eventually(
      async () => {
        const { body } = await analyticsApi.get('/watched-cameras').expect(200);
        return !body.cameras.some((c: { cameraId: string }) => c.cameraId === cameraId);
      },
      { message: 'the camera no longer watched' },
    );
  }

  const records = (type: string) => published.filter((r) => r.headers[CeHeader.Type] === type);

  it('matches the enrolled face on an RTSP stream: a face match awaiting two people, then an incident', async () => {
    const { body: list } = await recognitionApi
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
    const { body: entry } = await recognitionApi
      .post(`/watchlists/${list.id}/subjects/photo`)
      .send({
        subjectRef: 'file-14-3/person-1',
        legalBasis: 'Search file 14-3/2026',
        owner: 'ALA police, missing persons unit',
        expiresAt: new Date(Date.now() + 7 * 24 * 3600 * 1000).toISOString(),
        photo: fixturePhotoBytes('astronaut').toString('base64'),
      })
      .expect(201);

    const cameraId = await camera('street-1');
    const set = await registry
      .put(`/cameras/${cameraId}/media-source`)
      .send({ rtspUrl: rtsp.url(), credentials: CAMERA_LOGIN, frameRate: 2, features: ['faces'] })
      .expect(200);
    expect(set.text).not.toContain(CAMERA_LOGIN.password);

    const matched = await eventually(
      () =>
        records(EventTypes.FaceMatched)
          .map((r) => recognition.FaceMatched.decode(r.value).match!)
          .find((m) => m.cameraId === cameraId),
      { message: 'a face match from the stream', timeoutMs: 90_000 },
    );
    expect(matched.candidates[0].entryId).toBe(entry.id);
    expect(matched.candidates[0].score).toBeGreaterThanOrEqual(0.7);
    expect(matched.status).toBe(recognition.MatchStatus.MATCH_STATUS_PENDING_VERIFICATION);
    expect(matched.requiredConfirmations).toBe(2);

    const incident = await eventually(
      async () => {
        const { body } = await incidentsApi.get('/incidents').query({ regionCode: 'ALA' }).expect(200);
        return body.items.find((i: unknown) => JSON.stringify(i).includes(cameraId));
      },
      { message: 'an incident for the match', timeoutMs: 30_000 },
    );
    expect(incident.category).toMatch(/MISSING_PERSON|missing-person/i);

    // Two different people confirm before the match is actionable.
    for (const subject of ['operator-1', 'operator-2']) {
      const token = await platform.issuer.issue({ subject, roles: ['operator'], regions: ['ALA'] });
      await request(platform.services[1].httpUrl)
        .post(`/matches/${matched.id}/verifications`)
        .set('authorization', `Bearer ${token}`)
        .send({ verdict: 'confirmed' })
        .expect(200);
    }
    const { body: confirmed } = await recognitionApi
      .get(`/matches/${matched.id}`)
      .set('x-purpose', 'match review')
      .expect(200);
    expect(confirmed.status).toBe('MATCH_STATUS_CONFIRMED');

    // The camera reported healthy through the heartbeat path, and the stream needed its login.
    await eventually(
      async () => {
        const { body } = await registry.get(`/cameras/${cameraId}/health`).expect(200);
        return body.condition === 'ok' ? body : null;
      },
      { message: 'camera online', timeoutMs: 30_000 },
    );
    expect(rtsp.refused).toBeGreaterThan(0);
    expect(rtsp.plays).toBeGreaterThan(0);
    await stopWatching(cameraId);
  }, 180_000);

  it('turns a person standing in a zone into a loitering alert', async () => {
    const cameraId = await camera('bus-stop-2');
    await rule(cameraId, { behaviour: 'loitering', minConfidence: 0.3, severity: 'medium', zone: GROUND });
    const standing = fixturePhotoBytes('cameraman');
    const url = snapshots.feed('bus-stop-2', () => standing);
    await registry
      .put(`/cameras/${cameraId}/media-source`)
      .send({
        snapshotUrl: url,
        credentials: CAMERA_LOGIN,
        frameRate: 2,
        features: ['loitering'],
        zones: [{ name: 'bus stop', polygon: GROUND, loiterSeconds: 3 }],
      })
      .expect(200);
    const alert = await eventually(
      () =>
        records(EventTypes.BehaviourAlertRaised)
          .map((r) => recognition.BehaviourAlertRaised.decode(r.value).alert!)
          .find((a) => a.cameraId === cameraId),
      { message: 'a loitering alert', timeoutMs: 60_000 },
    );
    expect(alert.type).toBe(recognition.BehaviourType.BEHAVIOUR_TYPE_LOITERING);
    expect(alert.ruleName).toBe('bus stop');
    expect(alert.dwellSeconds).toBeGreaterThanOrEqual(3);
    await stopWatching(cameraId);
  }, 120_000);

  it('turns a fall sequence into a fall alert', async () => {
    const cameraId = await camera('underpass-3');
    // Keypoints recorded from the fixture by the pose model, replayed turning and staying down.
    const { bodies } = await VisionModels.shared().analyse(fixturePhoto('cameraman'), { bodies: true });
    expect(bodies).toHaveLength(1);
    fallAnalysers.set(cameraId, new RecordedFall(bodies[0]));
    await rule(cameraId, { behaviour: 'fall', minConfidence: 0.5, severity: 'high' });
    const frame = fixturePhotoBytes('cameraman');
    const url = snapshots.feed('underpass-3', () => frame);
    await registry
      .put(`/cameras/${cameraId}/media-source`)
      .send({ snapshotUrl: url, credentials: CAMERA_LOGIN, frameRate: 2, features: ['falls'] })
      .expect(200);
    await eventually(
      async () => {
        const { body } = await analyticsApi.get('/watched-cameras').expect(200);
        return body.cameras.find(
          (c: { cameraId: string; framesAnalysed: number }) =>
            c.cameraId === cameraId && c.framesAnalysed > 0,
        );
      },
      { message: 'the fall camera watched', timeoutMs: 30_000, intervalMs: 2000 },
    );
    const alert = await eventually(
      () =>
        records(EventTypes.BehaviourAlertRaised)
          .map((r) => recognition.BehaviourAlertRaised.decode(r.value).alert!)
          .find((a) => a.cameraId === cameraId),
      { message: 'a fall alert', timeoutMs: 60_000 },
    );
    expect(alert.type).toBe(recognition.BehaviourType.BEHAVIOUR_TYPE_FALL);
    await stopWatching(cameraId);
  }, 120_000);

  it('reports a camera it cannot read as a fault in camera health, and never shows its address', async () => {
    const cameraId = await camera('broken-4');
    const url = snapshots.feed('broken-4', () => null);
    await registry
      .put(`/cameras/${cameraId}/media-source`)
      .send({ snapshotUrl: url, credentials: CAMERA_LOGIN, frameRate: 1, features: ['objects'] })
      .expect(200);
    const health = await eventually(
      async () => {
        const { body } = await registry.get(`/cameras/${cameraId}/health`).expect(200);
        return body.condition === 'fault' ? body : null;
      },
      { message: 'camera fault', timeoutMs: 30_000 },
    );
    expect(JSON.stringify(health)).toContain('503');
    const { body: watched } = await analyticsApi.get('/watched-cameras').expect(200);
    expect(watched.assignment).toBe('all');
    expect(watched.cameras.find((c: { cameraId: string }) => c.cameraId === cameraId)).toMatchObject({
      reads: 'snapshot',
      condition: 'fault',
    });
    expect(JSON.stringify(watched)).not.toContain(url);
    expect(JSON.stringify(watched)).not.toContain(CAMERA_LOGIN.password);
    // Backing off: far fewer requests than one a second.
    const before = snapshots.requests.get('broken-4') ?? 0;
    await new Promise((r) => setTimeout(r, 4_000));
    expect((snapshots.requests.get('broken-4') ?? 0) - before).toBeLessThanOrEqual(2);
  }, 60_000);
});
