import { randomUUID } from 'node:crypto';
import {
  cameras as contract,
  CameraStatus,
  CameraStatusChanged,
  EventTypes,
  Topics,
} from '@safecity/contracts';
import { CeHeader, cloudEventHeaders, InProcessBus, type ConsumedRecord } from '@safecity/messaging';
import { freeLoopbackPort } from '@safecity/persistence';
import type { RunningServiceApp } from '@safecity/service-kit';
import { createTestDatabase, createTestIdentity, eventually, type TestIdentity } from '@safecity/testing';
import { Client } from 'pg';
import request from 'supertest';
import { startCameraRegistry } from '../src/bootstrap';
import { OfflineDetector, type Clock } from '../src/camera-health';

class FakeClock implements Clock {
  constructor(private ms: number) {}
  now() {
    return new Date(this.ms);
  }
  advance(seconds: number) {
    this.ms += seconds * 1000;
  }
}

describe('camera health on real PostgreSQL', () => {
  let db: { url: string; drop(): Promise<void> };
  let identity: TestIdentity;
  let adminBearer: string;
  let systemKey: string;
  let service: RunningServiceApp;
  let detector: OfflineDetector;
  let bus: InProcessBus;
  let pg: Client;
  let videoSystemId: string;
  const clock = new FakeClock(Date.parse('2025-06-02T06:00:00.000Z'));
  const statusRecords: ConsumedRecord[] = [];
  const deadLetters: ConsumedRecord[] = [];

  const start = (detectorIntervalMs = 0) =>
    freeLoopbackPort().then((port) =>
      startCameraRegistry({
        databaseUrl: db.url,
        transport: { kind: 'in-process', bus },
        http: { port: 0 },
        grpcUrl: `127.0.0.1:${port}`,
        runMigrations: true,
        identity: identity.identity,
        health: { clock, detectorIntervalMs },
        // The clock dates the status history in 2025, before what retention keeps (400 days).
        scheduleRetention: false,
      }),
    );

  beforeAll(async () => {
    db = await createTestDatabase('camhealth');
    identity = await createTestIdentity();
    adminBearer = await identity.bearer('admin');
    // Heartbeats come from a platform bridge until video-system API keys guard those routes.
    bus = new InProcessBus();
    bus.subscribe('test-observer', [Topics.CameraStatus], async (r) => void statusRecords.push(r));
    bus.subscribe('test-dlq', [`${Topics.CameraHeartbeats}.dlq`], async (r) => void deadLetters.push(r));
    service = await start();
    detector = service.app.get(OfflineDetector);
    pg = new Client({ connectionString: db.url });
    await pg.connect();
    videoSystemId = await createVideoSystem();
    systemKey = (await api().post(`/video-systems/${videoSystemId}/api-keys`).send({}).expect(201)).body
      .apiKey;
  });

  afterAll(async () => {
    await pg?.end();
    await service?.close();
    await db?.drop();
  });

  const api = () => request.agent(service.httpUrl).set('authorization', adminBearer);
  const keys = new Map<string, string>();
  /** A video system itself, authenticated by its API key. */
  const bridge = () => request.agent(service.httpUrl).set('x-api-key', systemKey);
  const systemAgent = (system: string) =>
    request.agent(service.httpUrl).set('x-api-key', keys.get(system) ?? systemKey);

  async function createVideoSystem(): Promise<string> {
    const res = await api()
      .post('/video-systems')
      .send({ regionCode: 'ALA', name: 'Almaty VMS', vendor: 'milestone', ingestionMethod: 'canonical-push' })
      .expect(201);
    const key = await api().post(`/video-systems/${res.body.id}/api-keys`).send({}).expect(201);
    keys.set(res.body.id, key.body.apiKey);
    return res.body.id;
  }

  let cameraCount = 0;
  async function registerCamera(system = videoSystemId): Promise<{ id: string; externalId: string }> {
    const externalId = `ch-${++cameraCount}`;
    const res = await api()
      .post('/cameras')
      .send({
        videoSystemId: system,
        externalId,
        name: `Abay Ave ${externalId}`,
        location: { lat: 43.2383, lon: 76.9454 },
        capabilities: ['plates'],
      })
      .expect(201);
    return { id: res.body.id, externalId };
  }

  const systemHeartbeat = (cameras: Record<string, unknown>[], system = videoSystemId, extra = {}) =>
    systemAgent(system)
      .post(`/video-systems/${system}/heartbeats`)
      .send({ cameras, ...extra });

  const cameraHeartbeat = (id: string, body: Record<string, unknown> = {}) =>
    bridge().post(`/cameras/${id}/heartbeats`).send(body).expect(200);

  const health = async (id: string) => (await api().get(`/cameras/${id}/health`).expect(200)).body;

  /** Status events of a camera, once the relay has delivered `count` of them. */
  async function statusEvents(cameraId: string, count: number) {
    await eventually(() => statusRecords.filter((r) => r.key === cameraId).length >= count, {
      message: `${count} status events of ${cameraId}`,
    });
    // Nothing beyond what was expected may be on its way either.
    await new Promise((r) => setTimeout(r, 150));
    const all = statusRecords.filter((r) => r.key === cameraId);
    expect(all).toHaveLength(count);
    return all.map((r) => ({ headers: r.headers, event: CameraStatusChanged.decode(r.value) }));
  }

  async function history(cameraId: string) {
    const { rows } = await pg.query(
      `SELECT status, previous_status, cause, published, changed_at
         FROM camera_registry.camera_status_history WHERE camera_id = $1 ORDER BY changed_at, id`,
      [cameraId],
    );
    return rows as {
      status: string;
      previous_status: string;
      cause: string;
      published: boolean;
      changed_at: Date;
    }[];
  }

  it('a system heartbeat turns its cameras online, publishes CameraStatusChanged and stores no row per heartbeat', async () => {
    const seen = await registerCamera();
    const silent = await registerCamera();
    const res = await systemHeartbeat([{ externalId: seen.externalId }, { externalId: 'not-ours' }]).expect(
      200,
    );
    expect(res.body).toEqual({ accepted: 1, unknown: ['not-ours'], notMonitored: [] });

    const [{ headers, event }] = await statusEvents(seen.id, 1);
    expect(headers[CeHeader.Type]).toBe(EventTypes.CameraStatusChanged);
    expect(headers[CeHeader.Region]).toBe('ALA');
    expect(event).toEqual({
      cameraId: seen.id,
      regionCode: 'ALA',
      status: CameraStatus.CAMERA_STATUS_ONLINE,
      previousStatus: CameraStatus.CAMERA_STATUS_UNSPECIFIED,
      changedAt: clock.now(),
    });
    expect((await api().get(`/cameras/${seen.id}`).expect(200)).body.status).toBe('online');
    expect(await health(seen.id)).toMatchObject({
      status: 'online',
      observedStatus: 'online',
      flapping: false,
      lastHeartbeatAt: clock.now().toISOString(),
      expectedIntervalSeconds: 60,
      expectedIntervalSource: 'default',
      offlineAfterSeconds: 180,
    });
    expect((await health(silent.id)).status).toBe('unknown');

    for (let i = 0; i < 5; i++) {
      clock.advance(10);
      await systemHeartbeat([
        { externalId: seen.externalId, status: 'degraded', detail: `beat ${i}` },
      ]).expect(200);
    }
    const { rows } = await pg.query(
      'SELECT count(*)::int AS n, max(last_heartbeat_at) AS last FROM camera_registry.camera_health WHERE camera_id = $1',
      [seen.id],
    );
    expect(rows[0]).toEqual({ n: 1, last: clock.now() });
    expect(await history(seen.id)).toHaveLength(1);
    await statusEvents(seen.id, 1);

    const system = (await api().get(`/video-systems/${videoSystemId}/health`).expect(200)).body;
    expect(system).toMatchObject({
      status: 'online',
      lastHeartbeatAt: clock.now().toISOString(),
      lastCameraCount: 1,
      heartbeatIntervalSeconds: 60,
    });
    expect(system.cameras).toMatchObject({ online: 1, degraded: 1 });
    expect(system.cameras.total).toBe(
      system.cameras.online + system.cameras.offline + system.cameras.unknown,
    );
  });

  it('a camera silent past interval × missed heartbeats turns offline with one event', async () => {
    const camera = await registerCamera();
    await cameraHeartbeat(camera.id);
    const lastBeat = clock.now();
    clock.advance(179);
    expect((await detector.runOnce()).markedOffline).toBe(0);
    clock.advance(2);
    const run = await detector.runOnce();
    expect(run).toMatchObject({ ran: true });
    expect(run.markedOffline).toBeGreaterThanOrEqual(1);
    expect(await detector.runOnce()).toMatchObject({ ran: true, markedOffline: 0 });

    const events = await statusEvents(camera.id, 2);
    expect(events[1].event).toMatchObject({
      status: CameraStatus.CAMERA_STATUS_OFFLINE,
      previousStatus: CameraStatus.CAMERA_STATUS_ONLINE,
      // Offline from when it was due, not from when the detector happened to look.
      changedAt: new Date(lastBeat.getTime() + 180_000),
    });
    expect(await health(camera.id)).toMatchObject({ status: 'offline', observedStatus: 'offline' });
    expect((await history(camera.id)).map((h) => [h.status, h.cause])).toEqual([
      ['online', 'heartbeat'],
      ['offline', 'silence'],
    ]);

    // The next heartbeat brings it back at once.
    await cameraHeartbeat(camera.id);
    expect((await statusEvents(camera.id, 3))[2].event.status).toBe(CameraStatus.CAMERA_STATUS_ONLINE);
  });

  it('uses the camera interval, else the video system interval', async () => {
    const system = await createVideoSystem();
    await api()
      .put(`/video-systems/${system}/health-settings`)
      .send({ heartbeatIntervalSeconds: 20 })
      .expect(200);
    const inherits = await registerCamera(system);
    const own = await registerCamera(system);
    expect(
      (await api().put(`/cameras/${own.id}/health-settings`).send({ expectedIntervalSeconds: 5 }).expect(200))
        .body,
    ).toMatchObject({
      expectedIntervalSeconds: 5,
      expectedIntervalSource: 'camera',
      offlineAfterSeconds: 15,
    });
    expect(await health(inherits.id)).toMatchObject({
      expectedIntervalSeconds: 20,
      expectedIntervalSource: 'video-system',
    });
    await systemHeartbeat(
      [{ externalId: inherits.externalId }, { externalId: own.externalId }],
      system,
    ).expect(200);

    clock.advance(16);
    await detector.runOnce();
    expect((await health(own.id)).status).toBe('offline');
    expect((await health(inherits.id)).status).toBe('online');
    clock.advance(45);
    await detector.runOnce();
    expect((await health(inherits.id)).status).toBe('offline');

    await api()
      .put(`/cameras/${own.id}/health-settings`)
      .send({ expectedIntervalSeconds: null })
      .expect(200)
      .expect((res) => expect(res.body.expectedIntervalSource).toBe('video-system'));
  });

  it('a camera reporting a fault is offline until it reports ok again', async () => {
    const camera = await registerCamera();
    await systemHeartbeat([{ externalId: camera.externalId }]).expect(200);
    clock.advance(5);
    await systemHeartbeat([{ externalId: camera.externalId, status: 'fault', detail: 'video loss' }]).expect(
      200,
    );
    expect(await health(camera.id)).toMatchObject({
      status: 'offline',
      condition: 'fault',
      detail: 'video loss',
    });
    clock.advance(5);
    await systemHeartbeat([{ externalId: camera.externalId, status: 'ok' }]).expect(200);
    const events = await statusEvents(camera.id, 3);
    expect(events.map((e) => e.event.status)).toEqual([
      CameraStatus.CAMERA_STATUS_ONLINE,
      CameraStatus.CAMERA_STATUS_OFFLINE,
      CameraStatus.CAMERA_STATUS_ONLINE,
    ]);
    expect((await history(camera.id)).map((h) => h.cause)).toEqual(['heartbeat', 'fault', 'heartbeat']);
  });

  it('ignores a heartbeat older than the newest one already applied', async () => {
    const camera = await registerCamera();
    await cameraHeartbeat(camera.id);
    const newest = clock.now();
    clock.advance(200);
    await detector.runOnce();
    expect((await health(camera.id)).status).toBe('offline');
    // Late and older than the one stored: changes nothing.
    await cameraHeartbeat(camera.id, { observedAt: new Date(newest.getTime() - 1000).toISOString() });
    // Newer, but already past the offline threshold: recorded, still offline.
    await cameraHeartbeat(camera.id, { observedAt: new Date(newest.getTime() + 10_000).toISOString() });
    expect(await health(camera.id)).toMatchObject({
      status: 'offline',
      lastHeartbeatAt: new Date(newest.getTime() + 10_000).toISOString(),
    });
  });

  it('damps a flapping camera: fewer events than transitions, the full history kept, released once stable', async () => {
    const camera = await registerCamera();
    await api()
      .put(`/cameras/${camera.id}/health-settings`)
      .send({ expectedIntervalSeconds: 10 })
      .expect(200);
    // 7 observed transitions within about 2 minutes: online, offline, online, ... online.
    await cameraHeartbeat(camera.id);
    for (let i = 0; i < 3; i++) {
      clock.advance(31);
      await detector.runOnce();
      clock.advance(1);
      await cameraHeartbeat(camera.id);
    }
    const raw = await history(camera.id);
    expect(raw.map((h) => h.status)).toEqual([
      'online',
      'offline',
      'online',
      'offline',
      'online',
      'offline',
      'online',
    ]);
    // Four transitions in the window are published; the fifth starts the hold.
    expect(raw.map((h) => h.published)).toEqual([true, true, true, true, false, false, false]);
    expect(await health(camera.id)).toMatchObject({
      status: 'offline',
      observedStatus: 'online',
      flapping: true,
    });
    expect((await api().get(`/cameras/${camera.id}`).expect(200)).body.status).toBe('offline');
    await statusEvents(camera.id, 4);

    // Stable online for the hold-down period (10 minutes), heartbeating every 20 s.
    for (let elapsed = 0; elapsed < 600; elapsed += 20) {
      clock.advance(20);
      await cameraHeartbeat(camera.id);
      await detector.runOnce();
    }
    expect(await health(camera.id)).toMatchObject({ status: 'online', flapping: false });
    const events = await statusEvents(camera.id, 5);
    expect(events.map((e) => e.event.status)).toEqual([
      CameraStatus.CAMERA_STATUS_ONLINE,
      CameraStatus.CAMERA_STATUS_OFFLINE,
      CameraStatus.CAMERA_STATUS_ONLINE,
      CameraStatus.CAMERA_STATUS_OFFLINE,
      CameraStatus.CAMERA_STATUS_ONLINE,
    ]);
    expect(await history(camera.id)).toHaveLength(7);
  });

  it('computes uptime per Almaty day from the status history, across midnight', async () => {
    const camera = await registerCamera();
    // Almaty (UTC+5): 1 May 08:00 online, 15:00 offline, 15:30 online, 23:30 offline,
    // 2 May 00:45 online; online ever since.
    const fixture: [string, string, string][] = [
      ['2025-05-01T03:00:00Z', 'online', 'unknown'],
      ['2025-05-01T10:00:00Z', 'offline', 'online'],
      ['2025-05-01T10:30:00Z', 'online', 'offline'],
      ['2025-05-01T18:30:00Z', 'offline', 'online'],
      ['2025-05-01T19:45:00Z', 'online', 'offline'],
    ];
    for (const [at, status, previous] of fixture) {
      await pg.query(
        `INSERT INTO camera_registry.camera_status_history (camera_id, changed_at, status, previous_status, cause, published)
         VALUES ($1, $2, $3, $4, 'heartbeat', true)`,
        [camera.id, at, status, previous],
      );
    }
    const res = await api()
      .get(`/cameras/${camera.id}/uptime`)
      .query({ from: '2025-04-30', to: '2025-05-03' })
      .expect(200);
    expect(res.body).toEqual({
      cameraId: camera.id,
      timeZone: 'Asia/Almaty (UTC+05:00)',
      from: '2025-04-30',
      to: '2025-05-03',
      days: [
        {
          date: '2025-04-30',
          onlineSeconds: 0,
          offlineSeconds: 0,
          unknownSeconds: 86_400,
          uptimeRatio: null,
        },
        // online 08:00-15:00 and 15:30-23:30 = 15 h; offline 15:00-15:30 and 23:30-24:00 = 1 h.
        {
          date: '2025-05-01',
          onlineSeconds: 54_000,
          offlineSeconds: 3_600,
          unknownSeconds: 28_800,
          uptimeRatio: 0.9375,
        },
        // offline 00:00-00:45, then online.
        {
          date: '2025-05-02',
          onlineSeconds: 83_700,
          offlineSeconds: 2_700,
          unknownSeconds: 0,
          uptimeRatio: 0.9688,
        },
        { date: '2025-05-03', onlineSeconds: 86_400, offlineSeconds: 0, unknownSeconds: 0, uptimeRatio: 1 },
      ],
    });
    const single = await api()
      .get(`/cameras/${camera.id}/uptime`)
      .query({ from: '2025-05-02', to: '2025-05-02' })
      .expect(200);
    expect(single.body.days).toEqual([res.body.days[2]]);
  });

  it.each([
    ['a malformed date', { from: '2025-5-1', to: '2025-05-02' }, 'from'],
    ['an impossible date', { from: '2025-02-30', to: '2025-03-02' }, 'from'],
    ['from after to', { from: '2025-05-03', to: '2025-05-02' }, 'from'],
    ['more than 92 days', { from: '2025-01-01', to: '2025-04-03' }, 'to'],
    ['an unknown parameter', { since: '2025-01-01' }, 'since'],
  ])('answers 400 naming the field for an uptime query with %s', async (_case, query, field) => {
    const camera = await registerCamera();
    const res = await api().get(`/cameras/${camera.id}/uptime`).query(query).expect(400);
    expect(res.body.problems.map((p: { field: string }) => p.field)).toContain(field);
  });

  it('accepts exactly 92 days and answers 404 for an unknown camera', async () => {
    const camera = await registerCamera();
    const res = await api()
      .get(`/cameras/${camera.id}/uptime`)
      .query({ from: '2025-01-01', to: '2025-04-02' })
      .expect(200);
    expect(res.body.days).toHaveLength(92);
    await api().get(`/cameras/${randomUUID()}/uptime`).expect(404);
  });

  it.each([
    ['an empty external id', { cameras: [{ externalId: '' }] }, 'cameras.0.externalId'],
    ['an unknown status', { cameras: [{ externalId: 'x', status: 'broken' }] }, 'cameras.0.status'],
    ['cameras that is not a list', { cameras: 'all' }, 'cameras'],
    ['a malformed time', { observedAt: 'yesterday' }, 'observedAt'],
    ['a time without offset', { observedAt: '2025-06-02T06:00:00' }, 'observedAt'],
    ['an unknown field', { uptime: 1 }, 'uptime'],
  ])('answers 400 naming the field for a heartbeat with %s', async (_case, body, field) => {
    const res = await bridge().post(`/video-systems/${videoSystemId}/heartbeats`).send(body).expect(400);
    expect(res.body.problems.map((p: { field: string }) => p.field)).toContain(field);
  });

  it('answers 422 for a heartbeat observed too far ahead or too long ago, 404 and 409 for unknown or retired targets', async () => {
    const ahead = new Date(clock.now().getTime() + 6 * 60_000).toISOString();
    const old = new Date(clock.now().getTime() - 61 * 60_000).toISOString();
    for (const observedAt of [ahead, old]) {
      const res = await systemHeartbeat([], videoSystemId, { observedAt }).expect(422);
      expect(res.body.problems[0].field).toBe('observedAt');
    }
    const camera = await registerCamera();
    await bridge().post(`/cameras/${camera.id}/heartbeats`).send({ observedAt: ahead }).expect(422);
    // Within the bounds.
    await systemHeartbeat([], videoSystemId, {
      observedAt: new Date(clock.now().getTime() + 4 * 60_000).toISOString(),
    }).expect(200);

    await systemHeartbeat([], randomUUID()).expect(404);
    await bridge().post(`/cameras/${randomUUID()}/heartbeats`).send({}).expect(404);
    await bridge().post('/cameras/not-a-uuid/heartbeats').send({}).expect(400);
    const res = await api().put(`/cameras/${camera.id}/health-settings`).send({ expectedIntervalSeconds: 1 });
    expect(res.status).toBe(400);
    expect(res.body.problems[0].field).toBe('expectedIntervalSeconds');
  });

  it('does not monitor decommissioned cameras', async () => {
    const camera = await registerCamera();
    await cameraHeartbeat(camera.id);
    await api().post(`/cameras/${camera.id}/decommission`).expect(200);

    const res = await systemHeartbeat([{ externalId: camera.externalId }]).expect(200);
    expect(res.body).toMatchObject({ accepted: 0, notMonitored: [camera.externalId] });
    await bridge().post(`/cameras/${camera.id}/heartbeats`).send({}).expect(409);

    clock.advance(600);
    await detector.runOnce();
    // Not offline: unknown, as the contract says of cameras that are not monitored.
    const events = await statusEvents(camera.id, 2);
    expect(events.map((e) => e.event.status)).toEqual([
      CameraStatus.CAMERA_STATUS_ONLINE,
      CameraStatus.CAMERA_STATUS_UNSPECIFIED,
    ]);
    expect(await health(camera.id)).toMatchObject({
      monitored: false,
      status: 'unknown',
      observedStatus: 'unknown',
    });
    expect((await history(camera.id)).map((h) => h.cause)).toEqual(['heartbeat', 'unmonitored']);
    await detector.runOnce();
    await statusEvents(camera.id, 2);
  });

  it('runs one detector at a time: a second run while the first holds the lock does nothing', async () => {
    const camera = await registerCamera();
    await cameraHeartbeat(camera.id);
    clock.advance(181);
    // Hold the camera row so the first run stops inside its transaction, lock taken.
    const blocker = new Client({ connectionString: db.url });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('SELECT 1 FROM camera_registry.cameras WHERE id = $1 FOR UPDATE', [camera.id]);
      const first = detector.runOnce();
      await eventually(
        async () => {
          const { rows } = await pg.query(
            `SELECT count(*)::int AS n FROM pg_locks l JOIN pg_database d ON d.oid = l.database
              WHERE l.locktype = 'advisory' AND l.granted AND d.datname = current_database()
                AND l.objid::bigint = (hashtext($1)::bigint & 4294967295)`,
            ['camera-health-detector:camera_registry'],
          );
          return rows[0].n > 0;
        },
        { message: 'first detector run to take its lock' },
      );
      const second = await detector.runOnce();
      expect(second).toEqual({ ran: false, markedOffline: 0, released: 0, unmonitored: 0, published: 0 });
      await blocker.query('COMMIT');
      const done = await first;
      expect(done.ran).toBe(true);
      expect(done.markedOffline).toBeGreaterThanOrEqual(1);
    } finally {
      await blocker.end();
    }
    expect((await statusEvents(camera.id, 2))[1].event.status).toBe(CameraStatus.CAMERA_STATUS_OFFLINE);
  });

  it('a second instance runs the detector on its own schedule and stops it on shutdown', async () => {
    const camera = await registerCamera();
    await cameraHeartbeat(camera.id);
    const second = await start(25);
    try {
      clock.advance(181);
      await eventually(async () => (await health(camera.id)).status === 'offline', {
        message: 'scheduled detector to mark the camera offline',
      });
    } finally {
      await second.close();
    }
    expect((await statusEvents(camera.id, 2))[1].event.status).toBe(CameraStatus.CAMERA_STATUS_OFFLINE);
  });

  it("keeps health within the caller's regions and roles", async () => {
    const camera = await registerCamera();
    const as = (bearer: string) => request.agent(service.httpUrl).set('authorization', bearer);
    const astanaAdmin = as(await identity.bearer('region-admin', ['AST']));
    const almatyOperator = as(await identity.bearer('operator', ['ALA']));

    await request(service.httpUrl).get(`/cameras/${camera.id}/health`).expect(401);
    await request(service.httpUrl).post(`/cameras/${camera.id}/heartbeats`).send({}).expect(401);
    // Another region's cameras and systems do not exist for the caller.
    await astanaAdmin.get(`/cameras/${camera.id}/health`).expect(404);
    await astanaAdmin.get(`/cameras/${camera.id}/uptime`).expect(404);
    await astanaAdmin.get(`/video-systems/${videoSystemId}/health`).expect(404);
    // Heartbeats come from video systems with their API key, not from people.
    await astanaAdmin.post(`/video-systems/${videoSystemId}/heartbeats`).send({}).expect(401);
    await astanaAdmin
      .put(`/cameras/${camera.id}/health-settings`)
      .send({ expectedIntervalSeconds: 30 })
      .expect(404);
    // Operators read health; they neither configure it nor report heartbeats.
    await almatyOperator.get(`/cameras/${camera.id}/health`).expect(200);
    await almatyOperator.get(`/video-systems/${videoSystemId}/health`).expect(200);
    await almatyOperator
      .put(`/cameras/${camera.id}/health-settings`)
      .send({ expectedIntervalSeconds: 30 })
      .expect(403);
    // A person's token is no video system's key.
    await almatyOperator.post(`/cameras/${camera.id}/heartbeats`).send({}).expect(401);
  });

  it('documents the health endpoints in OpenAPI, with the time zone of uptime days', async () => {
    const doc = (await api().get('/docs-json').expect(200)).body;
    for (const path of [
      '/video-systems/{id}/heartbeats',
      '/cameras/{id}/heartbeats',
      '/cameras/{id}/health',
      '/cameras/{id}/uptime',
      '/video-systems/{id}/health',
    ]) {
      expect(doc.paths).toHaveProperty([path]);
    }
    expect(doc.paths['/cameras/{id}/uptime'].get.description).toContain('Asia/Almaty time (UTC+05:00)');
  });

  describe('heartbeats from the bus', () => {
    const publishHeartbeat = (heartbeat: contract.CameraHeartbeat) => {
      const id = randomUUID();
      const value = Buffer.from(contract.CameraHeartbeat.encode(heartbeat).finish());
      bus.publish([
        {
          topic: Topics.CameraHeartbeats,
          key: heartbeat.videoSystemId,
          value,
          headers: cloudEventHeaders(
            {
              id,
              topic: Topics.CameraHeartbeats,
              key: heartbeat.videoSystemId,
              type: EventTypes.CameraHeartbeatReceived,
              payload: value,
            },
            '/test/vms',
          ),
        },
      ]);
      return id;
    };

    it('go through the same logic as REST, by external id or platform id', async () => {
      const byExternal = await registerCamera();
      const byId = await registerCamera();
      publishHeartbeat({
        videoSystemId,
        observedAt: clock.now(),
        cameras: [
          {
            externalId: byExternal.externalId,
            cameraId: '',
            condition: contract.CameraCondition.CAMERA_CONDITION_OK,
            detail: '',
          },
          {
            externalId: '',
            cameraId: byId.id,
            condition: contract.CameraCondition.CAMERA_CONDITION_DEGRADED,
            detail: 'low fps',
          },
        ],
      });
      await eventually(async () => (await health(byExternal.id)).status === 'online', { message: 'online' });
      expect(await health(byId.id)).toMatchObject({
        status: 'online',
        condition: 'degraded',
        detail: 'low fps',
      });
      expect((await statusEvents(byId.id, 1))[0].event.status).toBe(CameraStatus.CAMERA_STATUS_ONLINE);
    });

    it('dead-letters a heartbeat that can never be applied', async () => {
      const unknownSystem = publishHeartbeat({
        videoSystemId: randomUUID(),
        observedAt: clock.now(),
        cameras: [],
      });
      const noName = publishHeartbeat({
        videoSystemId,
        observedAt: clock.now(),
        cameras: [{ externalId: '', cameraId: '', condition: 0, detail: '' }],
      });
      const letters = await eventually(
        () => {
          const ids = deadLetters.map((r) => r.headers[CeHeader.Id]);
          return ids.includes(unknownSystem) && ids.includes(noName) ? deadLetters : null;
        },
        { message: 'dead letters' },
      );
      const reasons = letters.map((r) => r.headers['x-error']).join('\n');
      expect(reasons).toContain('unknown video system');
      expect(reasons).toContain('exactly one of external_id and camera_id');
    });
  });
});
