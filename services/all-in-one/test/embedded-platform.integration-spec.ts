import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Camera, CameraChanged, CameraChangeKind, EventTypes, Topics } from '@safecity/contracts';
import { CeHeader, cloudEventHeaders, DeliveryHeader } from '@safecity/messaging';
import { freeLoopbackPort } from '@safecity/persistence';
import { createTestDatabase, eventually } from '@safecity/testing';
import { Client } from 'pg';
import request from 'supertest';
import { AllInOneConfig } from '../src/config';
import { seedDemoHotlist } from '../src/demo-activity';
import { seedDemoInventory } from '../src/demo-inventory';
import { startPlatform, type RunningPlatform } from '../src/platform';
import { loadConfig } from '@safecity/service-kit';

describe('embedded platform: camera-registry → in-process bus → recognition', () => {
  let db: { url: string; drop(): Promise<void> };
  let platform: RunningPlatform;
  let registry: string;
  let recognition: string;
  let registryApi: ReturnType<typeof request.agent>;
  let recognitionApi: ReturnType<typeof request.agent>;

  const dataDir = mkdtempSync(join(tmpdir(), 'safecity-allinone-'));
  // Every HTTP port picked by the system, every gRPC port a free one: suites may run side by side.
  const platformConfig = async (databaseUrl: string) =>
    loadConfig(AllInOneConfig, {
      DATA_DIR: dataDir,
      DATABASE_URL: databaseUrl,
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

  beforeAll(async () => {
    db = await createTestDatabase('allinone');
    const config = await platformConfig(db.url);
    platform = await startPlatform(config);
    [registry, recognition] = platform.services.map((s) => s.httpUrl);
    const admin = `Bearer ${await platform.issuer.issue({ subject: 'test-admin', roles: ['admin'], regions: 'all' })}`;
    registryApi = request.agent(registry).set('authorization', admin);
    recognitionApi = request.agent(recognition).set('authorization', admin);
  });

  afterAll(async () => {
    await platform?.stop();
    await db?.drop();
  });

  it('applies a registered camera to recognition’s directory through the in-process bus', async () => {
    const system = await registryApi
      .post('/video-systems')
      .send({ regionCode: 'SHY', name: 'Shymkent VMS', vendor: 'dahua', ingestionMethod: 'onvif-events' })
      .expect(201);
    const camera = await registryApi
      .post('/cameras')
      .send({
        videoSystemId: system.body.id,
        externalId: 'gate-7',
        name: 'Central market, gate 7',
        location: { lat: 42.32, lon: 69.6 },
        capabilities: ['behaviour'],
        tags: ['market'],
      })
      .expect(201);
    const seen = await eventually(
      async () => {
        const res = await recognitionApi.get(`/camera-directory/${camera.body.id}`);
        return res.status === 200 && res.body.source === 'read-model' ? res.body : null;
      },
      { message: 'camera in the read model' },
    );
    expect(seen.camera).toMatchObject({
      id: camera.body.id,
      externalId: 'gate-7',
      regionCode: 'SHY',
      version: 1,
    });
  });

  it('falls back to camera-registry over gRPC for a camera its directory does not hold', async () => {
    const system = await registryApi
      .post('/video-systems')
      .send({ regionCode: 'AKT', name: 'Aktobe Frigate', vendor: 'frigate', ingestionMethod: 'frigate-mqtt' })
      .expect(201);
    const camera = await registryApi
      .post('/cameras')
      .send({
        videoSystemId: system.body.id,
        externalId: 'front',
        name: 'Station square',
        location: { lat: 50.28, lon: 57.17 },
        capabilities: ['plates'],
      })
      .expect(201);
    await eventually(
      async () => (await recognitionApi.get(`/camera-directory/${camera.body.id}`)).status === 200,
    );
    const pg = new Client({ connectionString: db.url });
    await pg.connect();
    await pg.query('DELETE FROM recognition.camera_directory WHERE id = $1', [camera.body.id]);
    await pg.end();
    const res = await recognitionApi.get(`/camera-directory/${camera.body.id}`).expect(200);
    expect(res.body.source).toBe('camera-registry');
    expect(res.body.camera).toMatchObject({ id: camera.body.id, externalId: 'front' });
    await recognitionApi.get('/camera-directory/22222222-2222-4222-8222-222222222222').expect(404);
  });

  it('resolves vendor camera ids from memory, keeps them fresh from camera events, and falls back to gRPC', async () => {
    const system = await registryApi
      .post('/video-systems')
      .send({
        regionCode: 'AST',
        name: 'Astana ISAPI',
        vendor: 'hikvision',
        ingestionMethod: 'hikvision-isapi',
      })
      .expect(201);
    const camera = await registryApi
      .post('/cameras')
      .send({
        videoSystemId: system.body.id,
        externalId: 'ch-9',
        name: 'Baiterek',
        location: { lat: 51.128, lon: 71.43 },
        capabilities: ['plates'],
      })
      .expect(201);
    const resolve = () => recognitionApi.get(`/camera-directory/resolve/${system.body.id}/ch-9`);
    await eventually(async () => (await resolve()).status === 200, { message: 'camera resolvable' });
    expect((await resolve()).body).toMatchObject({ id: camera.body.id, name: 'Baiterek', version: 1 });
    await registryApi
      .patch(`/cameras/${camera.body.id}`)
      .send({ name: 'Baiterek tower', location: { lat: 51.128, lon: 71.43 }, capabilities: ['plates'] })
      .expect(200);
    await eventually(async () => (await resolve()).body.version === 2, {
      message: 'resolution refreshed by the event',
    });
    expect((await resolve()).body.name).toBe('Baiterek tower');

    const other = await registryApi
      .post('/cameras')
      .send({
        videoSystemId: system.body.id,
        externalId: 'ch-10',
        name: 'Khan Shatyr',
        location: { lat: 51.132, lon: 71.404 },
        capabilities: ['plates'],
      })
      .expect(201);
    await eventually(
      async () => (await recognitionApi.get(`/camera-directory/${other.body.id}`)).status === 200,
    );
    const pg = new Client({ connectionString: db.url });
    await pg.connect();
    await pg.query('DELETE FROM recognition.camera_directory WHERE id = $1', [other.body.id]);
    await pg.end();
    const viaGrpc = await recognitionApi.get(`/camera-directory/resolve/${system.body.id}/ch-10`).expect(200);
    expect(viaGrpc.body.id).toBe(other.body.id);
    await recognitionApi.get(`/camera-directory/resolve/${system.body.id}/no-such-channel`).expect(404);
  });

  it('dead-letters an inconsistent camera event with the handler’s own reason, at once', async () => {
    const value = Buffer.from(
      CameraChanged.encode({
        kind: CameraChangeKind.CAMERA_CHANGE_KIND_UPDATED,
        camera: { ...Camera.fromPartial({ id: '33333333-3333-4333-8333-333333333333', version: 2 }) },
      }).finish(),
    );
    const id = randomUUID();
    platform.bus.publish([
      {
        topic: Topics.Cameras,
        key: 'some-other-camera',
        value,
        headers: cloudEventHeaders(
          { topic: Topics.Cameras, key: 'x', type: EventTypes.CameraUpdated, payload: value, id },
          '/test',
        ),
      },
    ]);
    const letter = await eventually(
      () => platform.bus.read(`${Topics.Cameras}.dlq`).find((r) => r.headers[CeHeader.Id] === id),
      {
        message: 'dead letter',
      },
    );
    expect(letter.headers[DeliveryHeader.Error]).toContain('does not match camera');
    expect(letter.headers[DeliveryHeader.Attempts]).toBe('1');
    expect(letter.headers[DeliveryHeader.RetryGroup]).toBe('safecity.recognition');
  });

  it('carries a hotlisted plate from a video system through recognition to an incident on the live stream, and on to prevention', async () => {
    const [, , incidentsUrl, preventionUrl] = platform.services.map((s) => s.httpUrl);
    const admin = `Bearer ${await platform.issuer.issue({ subject: 'test-admin', roles: ['admin'], regions: 'all' })}`;
    const system = await registryApi
      .post('/video-systems')
      .send({
        regionCode: 'ALA',
        name: 'Almaty ANPR',
        vendor: 'hikvision',
        ingestionMethod: 'canonical-push',
      })
      .expect(201);
    const camera = await registryApi
      .post('/cameras')
      .send({
        videoSystemId: system.body.id,
        externalId: 'anpr-dostyk-1',
        name: 'Dostyk Ave, northbound',
        location: { lat: 43.24, lon: 76.95 },
        address: 'Dostyk Ave 52, Almaty',
        capabilities: ['plates'],
        tags: ['school'],
      })
      .expect(201);
    await eventually(
      async () =>
        (await recognitionApi.get(`/camera-directory/${camera.body.id}`)).body.source === 'read-model',
      { message: 'camera in recognition’s directory' },
    );
    expect(await seedDemoHotlist(recognition, platform.issuer)).toBeGreaterThan(0);
    const key = await recognitionApi
      .post(`/video-systems/${system.body.id}/ingest-keys`)
      .send({ regionCode: 'ALA', label: 'anpr bridge' })
      .expect(201);

    // An operator's live stream, open before the plate is seen.
    const stream = new AbortController();
    const received: string[] = [];
    const response = await fetch(`${incidentsUrl}/incidents/stream`, {
      headers: { authorization: admin, accept: 'text/event-stream' },
      signal: stream.signal,
    });
    expect(response.status).toBe(200);
    const reading = (async () => {
      const decoder = new TextDecoder();
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        received.push(decoder.decode(chunk));
      }
    })().catch(() => undefined);

    try {
      const vendorEventId = `anpr-${randomUUID()}`;
      const ingested = await request(recognition)
        .post('/ingest/v1/detections')
        .set('x-api-key', key.body.apiKey)
        .send({
          vendorEventId,
          cameraExternalId: 'anpr-dostyk-1',
          observedAt: new Date().toISOString(),
          kind: 'plate',
          plate: { text: '777 KZA 02', country: 'KZ', confidence: 0.97 },
        })
        .expect(200);
      expect(ingested.body).toMatchObject({ accepted: 1 });

      const match = await eventually(
        async () =>
          (
            await recognitionApi.get('/matches').set('x-purpose', 'end-to-end check').query({ limit: 50 })
          ).body.items?.find((m: any) => m.plate?.text === '777KZA02' && m.cameraId === camera.body.id),
        { message: 'plate match' },
      );
      expect(match.status).toBe('MATCH_STATUS_PENDING_VERIFICATION');
      const incident = await eventually(
        async () =>
          (
            await request(incidentsUrl).get('/incidents').set('authorization', admin).query({ limit: 50 })
          ).body.items?.find((i: any) => i.location?.cameraId === camera.body.id),
        { message: 'incident from the match' },
      );
      expect(incident).toMatchObject({ regionCode: 'ALA', state: 'new', sourceKind: 'plate-match' });
      await eventually(() => received.join('').includes(incident.id), {
        message: 'incident on the live stream',
      });
      // Prevention follows incidents too (triggers and KPIs), through the same bus.
      await eventually(
        async () =>
          /safecity_messages_consumed_total\{[^}]*topic="safecity\.incidents\.v1"[^}]*group="safecity\.prevention"[^}]*outcome="processed"[^}]*\} [1-9]/.test(
            (await request(preventionUrl).get('/metrics')).text,
          ),
        { message: 'prevention consumed the incident' },
      );
    } finally {
      stream.abort();
      await reading;
    }
  });

  it('counts consumed events per topic, group and outcome on /metrics', async () => {
    const metrics = await recognitionApi.get('/metrics').expect(200);
    expect(metrics.text).toMatch(
      /safecity_messages_consumed_total\{[^}]*topic="safecity\.cameras\.v1"[^}]*group="safecity\.recognition"[^}]*outcome="processed"[^}]*\} [1-9]/,
    );
  });

  it('runs every service, each reporting ready with database and bus up', async () => {
    expect(platform.services.map((s) => s.serviceName)).toEqual([
      'camera-registry',
      'recognition',
      'incidents',
      'prevention',
      'video-analytics',
    ]);
    for (const url of platform.services.map((s) => s.httpUrl)) {
      const ready = await request(url).get('/health/ready').expect(200);
      expect(ready.body.details).toMatchObject({ database: { status: 'up' } });
      // The bus is reported, not required for readiness: the outbox keeps what it cannot carry yet.
      const report = await request(url).get('/health').expect(200);
      expect(report.body).toMatchObject({
        status: 'ok',
        checks: { database: { status: 'up', required: true }, bus: { status: 'up', required: false } },
      });
    }
  });

  it('seeds the demo inventory once', async () => {
    const db2 = await createTestDatabase('seed');
    const config = await platformConfig(db2.url);
    const second = await startPlatform(config);
    try {
      const url = second.services[0].httpUrl;
      expect(await seedDemoInventory(url, second.issuer)).toBe(310);
      expect(await seedDemoInventory(url, second.issuer)).toBe(0);
      const admin = `Bearer ${await second.issuer.issue({ subject: 'test-admin', roles: ['admin'], regions: 'all' })}`;
      const regions = new Set<string>();
      let cursor: string | null = null;
      let total = 0;
      do {
        const page: request.Response = await request(url)
          .get('/cameras')
          .set('authorization', admin)
          .query({ limit: 500, ...(cursor ? { cursor } : {}) });
        for (const c of page.body.items) regions.add(c.regionCode);
        total += page.body.items.length;
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(total).toBe(310);
      expect([...regions].sort()).toEqual(['AKT', 'ALA', 'AST', 'SHY']);
    } finally {
      await second.stop();
      await db2.drop();
    }
  }, 60_000);
});
