import { credentials, Metadata, status } from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import * as grpc from '@grpc/grpc-js';
import {
  CameraChanged,
  CameraChangeKind,
  CameraLifecycle,
  CameraRegistryGrpc,
  EventTypes,
  Topics,
  grpcOptions,
} from '@safecity/contracts';
import { CeHeader, InProcessBus, type ConsumedRecord } from '@safecity/messaging';
import { freeLoopbackPort } from '@safecity/persistence';
import type { RunningServiceApp } from '@safecity/service-kit';
import { createTestIdentity, type TestIdentity, createTestDatabase, eventually } from '@safecity/testing';
import request from 'supertest';
import { startCameraRegistry } from '../src/bootstrap';

type GrpcCall = (req: unknown, md: Metadata, cb: (err: grpc.ServiceError | null, res: any) => void) => void;

function grpcClient(url: string): Record<string, GrpcCall> {
  const options = grpcOptions(CameraRegistryGrpc);
  const definition = protoLoader.loadSync(options.protoPath, options.loader);
  const pkg = grpc.loadPackageDefinition(definition) as any;
  return new pkg.safecity.cameras.v1.CameraRegistry(url, credentials.createInsecure());
}

let grpcToken = '';
function authorized(): Metadata {
  const metadata = new Metadata();
  metadata.set('authorization', `Bearer ${grpcToken}`);
  return metadata;
}

function call<T>(client: Record<string, GrpcCall>, method: string, req: unknown): Promise<T> {
  return new Promise((resolve, reject) =>
    client[method].call(client, req, authorized(), (err, res) => (err ? reject(err) : resolve(res))),
  );
}

describe('camera-registry on real PostgreSQL', () => {
  let db: { url: string; drop(): Promise<void> };
  let identity: TestIdentity;
  let api: ReturnType<typeof request.agent>;
  let serviceToken: string;
  let service: RunningServiceApp;
  let bus: InProcessBus;
  let grpcUrl: string;
  const published: ConsumedRecord[] = [];
  let videoSystemId: string;

  beforeAll(async () => {
    db = await createTestDatabase('camreg');
    identity = await createTestIdentity();
    serviceToken = await identity.token('service');
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
    api = request.agent(service.httpUrl).set('authorization', await identity.bearer('admin'));
    const res = await api
      .post('/video-systems')
      .send({ regionCode: 'ALA', name: 'Almaty VMS', vendor: 'milestone', ingestionMethod: 'canonical-push' })
      .expect(201);
    videoSystemId = res.body.id;
  });

  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  const camera = (externalId: string, extra: Record<string, unknown> = {}) => ({
    videoSystemId,
    externalId,
    name: `Dostyk Ave ${externalId}`,
    location: { lat: 43.2383, lon: 76.9454 },
    capabilities: ['plates', 'behaviour'],
    tags: ['school'],
    ...extra,
  });

  it('registers a camera and publishes CameraRegistered through the outbox', async () => {
    const res = await api.post('/cameras').send(camera('ch-1')).expect(201);
    expect(res.body).toMatchObject({
      externalId: 'ch-1',
      regionCode: 'ALA',
      lifecycle: 'active',
      version: 1,
    });
    const record = await eventually(() => published.find((r) => r.key === res.body.id), { message: 'event' });
    expect(record.headers[CeHeader.Type]).toBe(EventTypes.CameraRegistered);
    expect(record.headers[CeHeader.Region]).toBe('ALA');
    const change = CameraChanged.decode(record.value);
    expect(change.kind).toBe(CameraChangeKind.CAMERA_CHANGE_KIND_REGISTERED);
    expect(change.camera).toMatchObject({
      id: res.body.id,
      externalId: 'ch-1',
      version: 1,
      regionCode: 'ALA',
    });
  });

  it('publishes updates and decommissioning with increasing versions in key order', async () => {
    const { body } = await api.post('/cameras').send(camera('ch-2')).expect(201);
    await api
      .patch(`/cameras/${body.id}`)
      .send({ name: 'renamed', location: { lat: 43.25, lon: 76.95 }, capabilities: ['faces'] })
      .expect(200);
    await api.post(`/cameras/${body.id}/decommission`).expect(200);
    const mine = await eventually(
      () => {
        const list = published.filter((r) => r.key === body.id);
        return list.length === 3 ? list : null;
      },
      { message: 'three events' },
    );
    expect(mine.map((r) => r.headers[CeHeader.Type])).toEqual([
      EventTypes.CameraRegistered,
      EventTypes.CameraUpdated,
      EventTypes.CameraDecommissioned,
    ]);
    expect(mine.map((r) => CameraChanged.decode(r.value).camera?.version)).toEqual([1, 2, 3]);
    await api
      .patch(`/cameras/${body.id}`)
      .send({ name: 'x', location: { lat: 43.25, lon: 76.95 }, capabilities: [] })
      .expect(409);
  });

  it.each([
    ['an unknown field', { owner: 'me' }, 'owner'],
    ['a read-only field', { version: 7 }, 'version'],
    ['a wrong type', { capabilities: 'plates' }, 'capabilities'],
    ['an unknown capability', { capabilities: ['x-ray'] }, 'capabilities'],
    ['a latitude out of range', { location: { lat: 123, lon: 76 } }, 'location.lat'],
  ])('answers 400 naming the field for %s', async (_case, patch, field) => {
    const res = await api.post('/cameras').send(camera('bad', patch)).expect(400);
    expect(res.body.problems.map((p: { field: string }) => p.field)).toContain(field);
  });

  it('answers 422 for an unknown video system and for coordinates outside Kazakhstan or the region', async () => {
    let res = await api
      .post('/cameras')
      .send(camera('x', { videoSystemId: '00000000-0000-4000-8000-000000000000' }))
      .expect(422);
    expect(res.body.problems[0].field).toBe('videoSystemId');
    res = await api
      .post('/cameras')
      .send(camera('x', { location: { lat: 48.85, lon: 2.35 } }))
      .expect(422);
    expect(res.body.problems[0]).toEqual({ field: 'location', reason: 'coordinates are outside Kazakhstan' });
    res = await api
      .post('/cameras')
      .send(camera('x', { location: { lat: 51.13, lon: 71.43 } }))
      .expect(422);
    expect(res.body.problems[0].reason).toContain('outside region ALA');
  });

  it('answers 409 for a second camera with the same external id in one video system', async () => {
    await api.post('/cameras').send(camera('dup')).expect(201);
    const res = await api.post('/cameras').send(camera('dup')).expect(409);
    expect(res.body.problems[0].field).toBe('externalId');
  });

  it('answers 422 for an unknown region when creating a video system', async () => {
    const res = await api
      .post('/video-systems')
      .send({ regionCode: 'XYZ', name: 'n', vendor: 'other', ingestionMethod: 'canonical-push' })
      .expect(422);
    expect(res.body.problems[0].field).toBe('regionCode');
  });

  it('pages cameras with an opaque cursor and rejects a forged one', async () => {
    for (let i = 0; i < 5; i++)
      await api
        .post('/cameras')
        .send(camera(`page-${i}`))
        .expect(201);
    const seen = new Set<string>();
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: request.Response = await api
        .get('/cameras')
        .query({ regionCode: 'ALA', limit: 2, ...(cursor ? { cursor } : {}) })
        .expect(200);
      for (const c of res.body.items) seen.add(c.id);
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor && pages < 50);
    const all = await api.get('/cameras').query({ limit: 500 }).expect(200);
    expect(seen.size).toBe(all.body.items.length);
    await api.get('/cameras').query({ cursor: '!!' }).expect(400);
    await api.get('/cameras').query({ limit: 100000 }).expect(400);
  });

  describe('gRPC CameraRegistry', () => {
    let client: Record<string, GrpcCall>;
    let id: string;

    beforeAll(async () => {
      client = grpcClient(grpcUrl);
      grpcToken = serviceToken;
      id = (await api.post('/cameras').send(camera('grpc-1')).expect(201)).body.id;
    });

    it('GetCamera returns the camera with its lifecycle and version', async () => {
      const res = await call<{ camera: any }>(client, 'getCamera', { id });
      expect(res.camera).toMatchObject({
        id,
        externalId: 'grpc-1',
        version: 1,
        lifecycle: CameraLifecycle.CAMERA_LIFECYCLE_ACTIVE,
      });
      expect(res.camera.updatedAt).toBeInstanceOf(Date);
    });

    it('BatchGetCameras reports the ids it does not know', async () => {
      const unknown = '11111111-1111-4111-8111-111111111111';
      const res = await call<{ cameras: any[]; missingIds: string[] }>(client, 'batchGetCameras', {
        ids: [id, unknown],
      });
      expect(res.cameras.map((c) => c.id)).toEqual([id]);
      expect(res.missingIds).toEqual([unknown]);
    });

    it('ResolveExternalCamera finds a camera by its vendor id', async () => {
      const res = await call<{ camera: any }>(client, 'resolveExternalCamera', {
        videoSystemId,
        externalId: 'grpc-1',
      });
      expect(res.camera.id).toBe(id);
    });

    it('ResolveExternalCamera answers from its cache until the camera changes here, then the change', async () => {
      const created = (await api.post('/cameras').send(camera('grpc-2')).expect(201)).body.id as string;
      const resolve = () =>
        call<{ camera: any }>(client, 'resolveExternalCamera', { videoSystemId, externalId: 'grpc-2' });
      const first = await resolve();
      const again = await resolve();
      expect(again.camera).toEqual(first.camera);
      expect(again.camera).toMatchObject({ id: created, version: 1, tags: ['school'] });
      await api
        .patch(`/cameras/${created}`)
        .send({ name: 'renamed over REST', location: { lat: 43.25, lon: 76.95 }, capabilities: ['faces'] })
        .expect(200);
      const renamed = await resolve();
      expect(renamed.camera).toMatchObject({ id: created, name: 'renamed over REST', version: 2 });
      expect((await resolve()).camera).toEqual(renamed.camera);
    });

    it('answers NOT_FOUND and INVALID_ARGUMENT', async () => {
      await expect(
        call(client, 'getCamera', { id: '11111111-1111-4111-8111-111111111111' }),
      ).rejects.toMatchObject({
        code: status.NOT_FOUND,
      });
      await expect(call(client, 'getCamera', { id: 'not-a-uuid' })).rejects.toMatchObject({
        code: status.INVALID_ARGUMENT,
      });
      await expect(
        call(client, 'resolveExternalCamera', { videoSystemId, externalId: '' }),
      ).rejects.toMatchObject({
        code: status.INVALID_ARGUMENT,
      });
    });
  });
});
