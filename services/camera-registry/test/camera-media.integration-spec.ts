import { cameras, EventTypes, Topics } from '@safecity/contracts';
import { CeHeader, InProcessBus, type ConsumedRecord } from '@safecity/messaging';
import { freeLoopbackPort } from '@safecity/persistence';
import { MediaCredentialsSealer } from '@safecity/security';
import type { RunningServiceApp } from '@safecity/service-kit';
import { createTestDatabase, createTestIdentity, eventually, type TestIdentity } from '@safecity/testing';
import { Client } from 'pg';
import request from 'supertest';
import { startCameraRegistry } from '../src/bootstrap';

const PASSWORD = 'Pa55-viewer-only';

describe("camera media sources for the platform's analytics", () => {
  let db: { url: string; drop(): Promise<void> };
  let identity: TestIdentity;
  let service: RunningServiceApp;
  let api: ReturnType<typeof request.agent>;
  const published: ConsumedRecord[] = [];
  let cameraId: string;

  beforeAll(async () => {
    db = await createTestDatabase('cammedia');
    identity = await createTestIdentity();
    const bus = new InProcessBus();
    bus.subscribe('test-observer', [Topics.CameraMedia], async (r) => void published.push(r));
    service = await startCameraRegistry({
      databaseUrl: db.url,
      transport: { kind: 'in-process', bus },
      http: { port: 0 },
      grpcUrl: `127.0.0.1:${await freeLoopbackPort()}`,
      runMigrations: true,
      identity: identity.identity,
    });
    api = request.agent(service.httpUrl).set('authorization', await identity.bearer('admin'));
    const system = await api
      .post('/video-systems')
      .send({ regionCode: 'ALA', name: 'Almaty NVR', vendor: 'other', ingestionMethod: 'canonical-push' })
      .expect(201);
    const camera = await api
      .post('/cameras')
      .send({
        videoSystemId: system.body.id,
        externalId: 'ch-7',
        name: 'Abay Ave bus stop',
        location: { lat: 43.2383, lon: 76.9454 },
        capabilities: [],
      })
      .expect(201);
    cameraId = camera.body.id;
  });

  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  const source = {
    rtspUrl: 'rtsp://10.20.0.15:554/Streaming/Channels/101',
    snapshotUrl: 'http://10.20.0.15/ISAPI/Streaming/channels/101/picture',
    credentials: { username: 'viewer', password: PASSWORD },
    frameRate: 2,
    features: ['faces', 'loitering'],
    zones: [
      {
        name: 'bus stop',
        polygon: [
          { x: 0.1, y: 0.5 },
          { x: 0.9, y: 0.5 },
          { x: 0.9, y: 1 },
          { x: 0.1, y: 1 },
        ],
        loiterSeconds: 60,
      },
    ],
  };

  it('stores the credentials sealed, never returns them, and publishes the source with them sealed', async () => {
    const set = await api.put(`/cameras/${cameraId}/media-source`).send(source).expect(200);
    expect(set.body).toMatchObject({ cameraId, hasCredentials: true, frameRate: 2, version: 1 });
    const read = await api.get(`/cameras/${cameraId}/media-source`).expect(200);
    for (const body of [set.text, read.text]) {
      expect(body).not.toContain(PASSWORD);
      expect(body).not.toContain('viewer');
    }

    const pg = new Client({ connectionString: db.url });
    await pg.connect();
    try {
      const { rows } = await pg.query(
        `SELECT sealed_credentials FROM camera_registry.camera_media_sources WHERE camera_id = $1`,
        [cameraId],
      );
      expect(Buffer.from(rows[0].sealed_credentials).includes(Buffer.from(PASSWORD))).toBe(false);
      const audit = await pg.query(`SELECT details::text AS details FROM camera_registry.audit_log`);
      for (const row of audit.rows) expect(row.details).not.toContain(PASSWORD);
    } finally {
      await pg.end();
    }

    const record = await eventually(() => published.find((r) => r.key === cameraId), { message: 'event' });
    expect(record.headers[CeHeader.Type]).toBe(EventTypes.CameraMediaSourceChanged);
    expect(record.value.includes(Buffer.from(PASSWORD))).toBe(false);
    const event = cameras.CameraMediaSourceChanged.decode(record.value);
    expect(event).toMatchObject({ cameraId, removed: false, version: 1 });
    expect(event.source).toMatchObject({
      regionCode: 'ALA',
      externalId: 'ch-7',
      rtspUrl: source.rtspUrl,
      frameRate: 2,
      features: [
        cameras.AnalyticsFeature.ANALYTICS_FEATURE_FACES,
        cameras.AnalyticsFeature.ANALYTICS_FEATURE_LOITERING,
      ],
    });
    expect(event.source!.zones[0]).toMatchObject({ name: 'bus stop', loiterSeconds: 60 });
    // Only the holder of the media credentials key (video-analytics) opens them.
    expect(MediaCredentialsSealer.development().open(event.source!.sealedCredentials, cameraId)).toEqual(
      source.credentials,
    );
  });

  it('keeps the stored credentials when a change leaves them out, and drops them on null', async () => {
    const { credentials: _left, ...withoutCredentials } = source;
    const kept = await api
      .put(`/cameras/${cameraId}/media-source`)
      .send({ ...withoutCredentials, frameRate: 1 })
      .expect(200);
    expect(kept.body).toMatchObject({ hasCredentials: true, frameRate: 1, version: 2 });
    const dropped = await api
      .put(`/cameras/${cameraId}/media-source`)
      .send({ ...withoutCredentials, credentials: null })
      .expect(200);
    expect(dropped.body).toMatchObject({ hasCredentials: false, version: 3 });
  });

  it('refuses credentials inside a URL, a source without any address, and unknown analytics', async () => {
    const bad = await api
      .put(`/cameras/${cameraId}/media-source`)
      .send({ ...source, rtspUrl: `rtsp://viewer:${PASSWORD}@10.20.0.15/stream` })
      .expect(400);
    expect(JSON.stringify(bad.body)).toContain('rtspUrl must be an rtsp:// URL without user info');
    expect(JSON.stringify(bad.body)).not.toContain(PASSWORD);
    await api
      .put(`/cameras/${cameraId}/media-source`)
      .send({ features: ['faces'] })
      .expect(422);
    await api
      .put(`/cameras/${cameraId}/media-source`)
      .send({ ...source, features: ['mind-reading'] })
      .expect(400);
  });

  it("answers another region's administrator as if the camera did not exist, and operators not at all", async () => {
    const astana = await identity.bearer('region-admin', ['AST']);
    await request(service.httpUrl)
      .get(`/cameras/${cameraId}/media-source`)
      .set('authorization', astana)
      .expect(404);
    await request(service.httpUrl)
      .put(`/cameras/${cameraId}/media-source`)
      .set('authorization', astana)
      .send(source)
      .expect(404);
    await request(service.httpUrl)
      .get(`/cameras/${cameraId}/media-source`)
      .set('authorization', await identity.bearer('operator', ['ALA']))
      .expect(403);
  });

  it('publishes the removal so that the analytics stop reading the camera', async () => {
    await api.delete(`/cameras/${cameraId}/media-source`).expect(204);
    await api.get(`/cameras/${cameraId}/media-source`).expect(404);
    const removal = await eventually(
      () =>
        published
          .filter((r) => r.key === cameraId)
          .map((r) => cameras.CameraMediaSourceChanged.decode(r.value))
          .find((e) => e.removed),
      { message: 'removal event' },
    );
    expect(removal).toMatchObject({ removed: true, version: 4 });
    expect(removal.source ?? null).toBeNull();
  });
});
