import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import {
  CameraChanged,
  CameraChangeKind,
  CameraRegistryGrpc,
  EventTypes,
  Topics,
  grpcOptions,
} from '@safecity/contracts';
import { CeHeader, InProcessBus, type ConsumedRecord } from '@safecity/messaging';
import { freeLoopbackPort } from '@safecity/persistence';
import type { RunningServiceApp } from '@safecity/service-kit';
import { createTestDatabase, createTestIdentity, eventually, type TestIdentity } from '@safecity/testing';
import { Client } from 'pg';
import request from 'supertest';
import { startCameraRegistry } from '../src/bootstrap';

const HEADER =
  'external_id,name,lat,lon,address,district_code,direction_deg,field_of_view_deg,mount_type,capabilities,tags,lifecycle';

interface Row {
  id: string;
  name?: string;
  lat?: number | string;
  lon?: number | string;
  tags?: string;
}

function csvLine({
  id,
  name = `Abay Ave / Dostyk Ave, cam ${id}`,
  lat = 43.2383,
  lon = 76.9454,
  tags = 'school',
}: Row) {
  return `${id},"${name}",${lat},${lon},"Abay Ave 52, Almaty",ALA-ALMALY,90,75,pole,plates;ptz,${tags},active`;
}

function csvFile(rows: Row[], header = HEADER): string {
  return [header, ...rows.map(csvLine)].join('\r\n') + '\r\n';
}

type GrpcClient = Record<
  string,
  (req: unknown, md: grpc.Metadata, cb: (err: grpc.ServiceError | null, res: any) => void) => void
>;

function resolver(url: string, token: string) {
  const options = grpcOptions(CameraRegistryGrpc);
  const pkg = grpc.loadPackageDefinition(protoLoader.loadSync(options.protoPath, options.loader)) as any;
  const client: GrpcClient = new pkg.safecity.cameras.v1.CameraRegistry(
    url,
    grpc.credentials.createInsecure(),
  );
  return (videoSystemId: string, externalId: string) =>
    new Promise<{ camera: { externalId: string; name: string; version: number } }>((resolve, reject) =>
      client.resolveExternalCamera.call(client, { videoSystemId, externalId }, bearer(token), (err, res) =>
        err ? reject(err) : resolve(res),
      ),
    );
}

function bearer(token: string) {
  const metadata = new grpc.Metadata();
  metadata.set('authorization', `Bearer ${token}`);
  return metadata;
}

const ids = (n: number, prefix = 'ch') => Array.from({ length: n }, (_, i) => ({ id: `${prefix}-${i + 1}` }));

describe('camera import on real PostgreSQL', () => {
  let db: { url: string; drop(): Promise<void> };
  let pg: Client;
  let service: RunningServiceApp;
  let identity: TestIdentity;
  let admin: string;
  let bus: InProcessBus;
  let grpcUrl: string;
  const published: ConsumedRecord[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('camimport');
    identity = await createTestIdentity();
    admin = await identity.bearer('admin');
    bus = new InProcessBus();
    bus.subscribe('test-observer', [Topics.Cameras], async (r) => void published.push(r));
    grpcUrl = `127.0.0.1:${await freeLoopbackPort()}`;
    service = await startCameraRegistry({
      databaseUrl: db.url,
      transport: { kind: 'in-process', bus },
      http: { port: 0 },
      grpcUrl,
      runMigrations: true,
      identity: identity.identity,
    });
    pg = new Client({ connectionString: db.url });
    await pg.connect();
  });

  afterAll(async () => {
    await pg?.end();
    await service?.close();
    await db?.drop();
  });

  async function videoSystem(regionCode = 'ALA'): Promise<string> {
    const res = await request(service.httpUrl)
      .post('/video-systems')
      .set('authorization', admin)
      .send({ regionCode, name: `${regionCode} VMS`, vendor: 'hikvision', ingestionMethod: 'canonical-push' })
      .expect(201);
    return res.body.id;
  }

  const importCsv = (system: string, body: string | Buffer, authorization = admin) =>
    request(service.httpUrl)
      .post(`/video-systems/${system}/cameras/import`)
      .set('authorization', authorization)
      .set('content-type', 'text/csv')
      .send(body);

  const importJson = (system: string, cameras: unknown) =>
    request(service.httpUrl)
      .post(`/video-systems/${system}/cameras/import`)
      .set('authorization', admin)
      .set('content-type', 'application/json')
      .send(JSON.stringify(cameras));

  async function cameras(system: string) {
    const { rows } = await pg.query(
      `SELECT id, external_id, name, version::int AS version, lifecycle, tags, privacy_masks, updated_at
         FROM camera_registry.cameras WHERE video_system_id = $1 ORDER BY external_id`,
      [system],
    );
    return rows as {
      id: string;
      external_id: string;
      name: string;
      version: number;
      lifecycle: string;
      tags: string[];
      privacy_masks: unknown[];
      updated_at: Date;
    }[];
  }

  const eventsFor = (cameraIds: Iterable<string>) => {
    const wanted = new Set(cameraIds);
    return published.filter((r) => r.key !== null && wanted.has(r.key));
  };

  async function settledEventsFor(cameraIds: string[], expected: number) {
    return eventually(
      () => {
        const events = eventsFor(cameraIds);
        return events.length >= expected ? events : null;
      },
      { message: `${expected} camera events` },
    );
  }

  /** Nothing queued and, after the relay had time to run, nothing more published for these ids. */
  async function expectNoNewEvents(cameraIds: string[], before: number) {
    const { rows } = await pg.query('SELECT count(*)::int AS n FROM camera_registry.outbox');
    expect(rows[0].n).toBe(0);
    await new Promise((r) => setTimeout(r, 400));
    expect(eventsFor(cameraIds)).toHaveLength(before);
  }

  it('imports a good file, publishes CameraRegistered for each camera, and the same file again changes nothing', async () => {
    const system = await videoSystem();
    const file = csvFile(ids(250));
    const first = await importCsv(system, file).expect(200);
    expect(first.body).toEqual({ created: 250, updated: 0, unchanged: 0, total: 250 });

    const stored = await cameras(system);
    expect(stored).toHaveLength(250);
    expect(stored.every((c) => c.version === 1 && c.lifecycle === 'active')).toBe(true);
    const cameraIds = stored.map((c) => c.id);
    const events = await settledEventsFor(cameraIds, 250);
    expect(events).toHaveLength(250);
    expect(new Set(events.map((e) => e.headers[CeHeader.Type]))).toEqual(
      new Set([EventTypes.CameraRegistered]),
    );
    const change = CameraChanged.decode(events.find((e) => e.key === stored[0].id)!.value);
    expect(change.kind).toBe(CameraChangeKind.CAMERA_CHANGE_KIND_REGISTERED);
    expect(change.camera).toMatchObject({
      id: stored[0].id,
      externalId: stored[0].external_id,
      regionCode: 'ALA',
      districtCode: 'ALA-ALMALY',
      address: 'Abay Ave 52, Almaty',
      version: 1,
      tags: ['school'],
    });

    const again = await importCsv(system, file).expect(200);
    expect(again.body).toEqual({ created: 0, updated: 0, unchanged: 250, total: 250 });
    await expectNoNewEvents(cameraIds, 250);
    const after = await cameras(system);
    expect(after.map((c) => [c.version, c.updated_at.getTime()])).toEqual(
      stored.map((c) => [c.version, c.updated_at.getTime()]),
    );
  });

  it('creates new and updates changed cameras in one import, with UPDATED events and the next version', async () => {
    const system = await videoSystem();
    await importCsv(system, csvFile(ids(20))).expect(200);
    const before = await cameras(system);
    await settledEventsFor(
      before.map((c) => c.id),
      20,
    );

    const rows: Row[] = ids(22);
    rows[3] = { id: 'ch-4', name: 'renamed' };
    rows[7] = { id: 'ch-8', lat: 43.25 };
    rows[9] = { id: 'ch-10', tags: 'school;market' };
    const res = await importCsv(system, csvFile(rows)).expect(200);
    expect(res.body).toEqual({ created: 2, updated: 3, unchanged: 17, total: 22 });

    const after = await cameras(system);
    const changed = after.filter((c) => c.version === 2).map((c) => c.external_id);
    expect(changed.sort()).toEqual(['ch-10', 'ch-4', 'ch-8']);
    const touched = after.filter((c) => ['ch-4', 'ch-8', 'ch-10', 'ch-21', 'ch-22'].includes(c.external_id));
    const events = await settledEventsFor(
      after.map((c) => c.id),
      25,
    );
    const newEvents = events.slice(-5);
    expect(newEvents.map((e) => e.key).sort()).toEqual(touched.map((c) => c.id).sort());
    const kinds = newEvents.map((e) => {
      const change = CameraChanged.decode(e.value);
      return [change.camera!.externalId, e.headers[CeHeader.Type], change.camera!.version];
    });
    expect(kinds.sort()).toEqual(
      [
        ['ch-10', EventTypes.CameraUpdated, 2],
        ['ch-21', EventTypes.CameraRegistered, 1],
        ['ch-22', EventTypes.CameraRegistered, 1],
        ['ch-4', EventTypes.CameraUpdated, 2],
        ['ch-8', EventTypes.CameraUpdated, 2],
      ].sort(),
    );
    expect(after.find((c) => c.external_id === 'ch-10')!.tags).toEqual(['school', 'market']);
  });

  it('refuses a file with bad rows among many, listing every problem, and writes nothing', async () => {
    const system = await videoSystem();
    await importCsv(system, csvFile(ids(10))).expect(200);
    const before = await cameras(system);
    const eventsBefore = (
      await settledEventsFor(
        before.map((c) => c.id),
        10,
      )
    ).length;

    const rows: Row[] = ids(400);
    rows[0] = { id: 'ch-1', name: 'would be renamed' };
    rows[149] = { id: 'ch-150', lat: 'abc' };
    rows[299] = { id: 'ch-300', lat: 51.13, lon: 71.43 };
    const res = await importCsv(system, csvFile(rows)).expect(422);
    expect(res.body.message).toBe('2 problems in the import; nothing was imported');
    expect(res.body.problems).toEqual([
      { line: 151, field: 'lat', reason: 'lat must be a number conforming to the specified constraints' },
      { line: 301, field: 'lat,lon', reason: 'coordinates are outside region ALA' },
    ]);
    expect(await cameras(system)).toEqual(before);
    await expectNoNewEvents(
      before.map((c) => c.id),
      eventsBefore,
    );
  });

  it('refuses an external id that appears twice in the file', async () => {
    const system = await videoSystem();
    const res = await importCsv(system, csvFile([{ id: 'a' }, { id: 'b' }, { id: 'a' }])).expect(422);
    expect(res.body.problems).toEqual([
      { line: 4, field: 'external_id', reason: 'duplicate external id "a", first on line 2' },
    ]);
    expect(await cameras(system)).toEqual([]);
  });

  it('refuses malformed CSV naming the line, and a header with unknown columns', async () => {
    const system = await videoSystem();
    let res = await importCsv(system, `${HEADER}\n${csvLine({ id: 'a' })}\nb,"unterminated,43,76\n`).expect(
      422,
    );
    expect(res.body.problems).toEqual([
      { line: 3, field: '', reason: expect.stringContaining('never closed') },
    ]);
    res = await importCsv(system, 'external_id,name,lat,lon,owner\na,x,43.2,76.9,me\n').expect(422);
    expect(res.body.problems).toEqual([
      { line: 1, field: 'owner', reason: expect.stringContaining('unknown column') },
    ]);
    res = await importCsv(
      system,
      Buffer.concat([Buffer.from(`${HEADER}\n`), Buffer.from([0xc0, 0xe1, 0xe0, 0xe9, 0x0a])]),
    ).expect(422);
    expect(res.body.problems).toEqual([{ line: 2, field: '', reason: expect.stringContaining('UTF-8') }]);
    expect(await cameras(system)).toEqual([]);
  });

  it('answers 404 for an unknown video system and 400 for an id that is not a UUID', async () => {
    await importCsv('00000000-0000-4000-8000-000000000000', csvFile(ids(1))).expect(404);
    await importCsv('not-a-uuid', csvFile(ids(1))).expect(400);
  });

  it('answers 415 for a body that is neither CSV nor JSON, or not UTF-8', async () => {
    const system = await videoSystem();
    await request(service.httpUrl)
      .post(`/video-systems/${system}/cameras/import`)
      .set('authorization', admin)
      .set('content-type', 'application/xml')
      .send('<cameras/>')
      .expect(415);
    await importCsv(system, csvFile(ids(1)))
      .set('content-type', 'text/csv; charset=windows-1251')
      .expect(415);
  });

  it('answers 413 with a clear message for a body over the limit, declared or streamed', async () => {
    const system = await videoSystem();
    const big = Buffer.alloc(21 * 1024 * 1024, 0x61);
    const declared = await importCsv(system, big).expect(413);
    expect(declared.body).toEqual({
      statusCode: 413,
      error: 'Payload Too Large',
      message: 'the import is larger than 20 MB; split it into several files',
    });

    const streamed = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const url = new URL(`/video-systems/${system}/cameras/import`, service.httpUrl);
      const req = httpRequest(
        url,
        { method: 'POST', headers: { 'content-type': 'text/csv', authorization: admin } },
        (res) => {
          let body = '';
          res.on('data', (c) => (body += c));
          res.on('end', () => resolve({ status: res.statusCode!, body }));
        },
      );
      req.on('error', reject);
      const chunk = Buffer.alloc(1024 * 1024, 0x61);
      for (let i = 0; i < 21; i++) req.write(chunk);
      req.end();
    });
    expect(streamed.status).toBe(413);
    expect(JSON.parse(streamed.body).message).toContain('larger than 20 MB');
    expect(await cameras(system)).toEqual([]);
  });

  it('imports JSON larger than the 1 MB limit of other routes, and a later import keeps what it does not set', async () => {
    const system = await videoSystem();
    const masks = [
      {
        name: 'residential windows',
        polygon: [
          { x: 0, y: 0 },
          { x: 0.5, y: 0 },
          { x: 0.5, y: 0.4 },
        ],
      },
    ];
    const all = Array.from({ length: 6_000 }, (_, i) => ({
      externalId: `json-${i}`,
      name: `Al-Farabi Ave / Nauryzbay Batyr St, camera ${i} facing the bus stop on the north side`,
      location: { lat: 43.2 + (i % 100) / 1000, lon: 76.9 + (i % 77) / 1000 },
      address: 'Al-Farabi Ave 77/8, Bostandyk district, Almaty, 050040',
      capabilities: ['plates', 'behaviour'],
      tags: ['transport-hub'],
      ...(i === 0 ? { privacyMasks: masks } : {}),
    }));
    expect(JSON.stringify(all).length).toBeGreaterThan(1024 * 1024);
    const res = await importJson(system, all).expect(200);
    expect(res.body).toEqual({ created: 6_000, updated: 0, unchanged: 0, total: 6_000 });

    // A CSV carries no privacy masks, and this one no tags column: both stay as they are.
    const csv = 'external_id,name,lat,lon,capabilities\njson-0,renamed,43.2,76.9,plates\n';
    const update = await importCsv(system, csv).expect(200);
    expect(update.body).toEqual({ created: 0, updated: 1, unchanged: 0, total: 1 });
    const [first] = (await cameras(system)).filter((c) => c.external_id === 'json-0');
    expect(first).toMatchObject({
      name: 'renamed',
      version: 2,
      tags: ['transport-hub'],
      privacy_masks: masks,
    });

    const bad = await importJson(system, [{ ...all[1], videoSystemId: system }, { externalId: 'x' }]).expect(
      422,
    );
    expect(bad.body.problems).toEqual(
      expect.arrayContaining([
        { line: 1, field: 'videoSystemId', reason: 'property videoSystemId should not exist' },
        { line: 2, field: 'name', reason: expect.any(String) },
        { line: 2, field: 'capabilities', reason: expect.any(String) },
      ]),
    );
    await importJson(system, { cameras: [] }).expect(422);
    await request(service.httpUrl)
      .post(`/video-systems/${system}/cameras/import`)
      .set('authorization', admin)
      .set('content-type', 'application/json')
      .send('[{"externalId": "a",]')
      .expect(422);
  });

  it('does not revive a decommissioned camera and reports it with its line', async () => {
    const system = await videoSystem();
    await importCsv(system, csvFile(ids(3))).expect(200);
    const [, second] = await cameras(system);
    await request(service.httpUrl)
      .post(`/cameras/${second.id}/decommission`)
      .set('authorization', admin)
      .expect(200);

    const res = await importCsv(system, csvFile([...ids(3), { id: 'ch-4' }])).expect(422);
    expect(res.body.problems).toEqual([
      { line: 3, field: 'external_id', reason: expect.stringContaining('ch-2 is decommissioned') },
    ]);
    const after = await cameras(system);
    expect(after.map((c) => [c.external_id, c.lifecycle])).toEqual([
      ['ch-1', 'active'],
      ['ch-2', 'decommissioned'],
      ['ch-3', 'active'],
    ]);
  });

  it('shows imported cameras through ResolveExternalCamera at once, despite its cache', async () => {
    const system = await videoSystem();
    const resolve = resolver(grpcUrl, await identity.token('service'));
    // Remembered as a miss for a while, then as a hit for longer: the import must drop both.
    await expect(resolve(system, 'cached-1')).rejects.toMatchObject({ code: grpc.status.NOT_FOUND });
    await importCsv(system, csvFile([{ id: 'cached-1', name: 'first' }])).expect(200);
    expect((await resolve(system, 'cached-1')).camera).toMatchObject({ name: 'first', version: 1 });
    await importCsv(system, csvFile([{ id: 'cached-1', name: 'second' }])).expect(200);
    expect((await resolve(system, 'cached-1')).camera).toMatchObject({ name: 'second', version: 2 });
  });

  it('lets administrators import only into video systems of their regions', async () => {
    const system = await videoSystem('ALA');
    const file = csvFile(ids(2, 'scope'));
    await importCsv(system, file, '').expect(401);
    await importCsv(system, file, await identity.bearer('operator', ['ALA'])).expect(403);
    const astanaAdmin = await identity.bearer('region-admin', ['AST']);
    expect((await importCsv(system, file, astanaAdmin).expect(404)).body.message).toContain('not found');
    const almatyAdmin = await identity.bearer('region-admin', ['ALA'], 'almaty-admin');
    expect((await importCsv(system, file, almatyAdmin).expect(200)).body.created).toBe(2);
    expect(await cameras(system)).toHaveLength(2);
  });

  it('records one audit entry per import that changed something, with the hash of the file', async () => {
    const system = await videoSystem();
    const file = csvFile(ids(5, 'audit'));
    await importCsv(system, file, await identity.bearer('admin', 'all', 'auditable-admin')).expect(200);
    await importCsv(system, file, await identity.bearer('admin', 'all', 'auditable-admin')).expect(200);
    const { rows } = await pg.query(
      `SELECT actor_subject, action, details FROM camera_registry.audit_log
        WHERE object_type = 'camera-import' AND object_id = $1`,
      [system],
    );
    expect(rows).toEqual([
      {
        actor_subject: 'auditable-admin',
        action: 'create',
        details: expect.objectContaining({
          created: 5,
          updated: 0,
          unchanged: 0,
          total: 5,
          format: 'csv',
          sha256: createHash('sha256').update(file).digest('hex'),
        }),
      },
    ]);
  });

  it('keeps the ordinary 1 MB JSON limit on other routes', async () => {
    const res = await request(service.httpUrl)
      .post('/video-systems')
      .set('authorization', admin)
      .set('content-type', 'application/json')
      .send(JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) }));
    expect(res.status).toBe(413);
  });
});
