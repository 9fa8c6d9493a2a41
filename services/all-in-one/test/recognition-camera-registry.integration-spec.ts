import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { CameraRegistryGrpc, grpcOptions } from '@safecity/contracts';
import { InProcessBus } from '@safecity/messaging';
import { freeLoopbackPort } from '@safecity/persistence';
import { ApiKeyStore } from '@safecity/security';
import type { RunningServiceApp } from '@safecity/service-kit';
import { createTestDatabase, createTestIdentity, type TestIdentity } from '@safecity/testing';
import { Client } from 'pg';
import request from 'supertest';
import { startCameraRegistry } from '@safecity/camera-registry';
import { startRecognition } from '@safecity/recognition';

/**
 * A TCP hop between camera-registry and its PostgreSQL: cutting it is a real database outage for
 * that service (connections reset, new ones refused), while every other database stays up.
 */
class DatabaseLink {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();

  constructor(
    private readonly target: { host: string; port: number },
    readonly port: number,
  ) {}

  async up(): Promise<void> {
    if (this.server) return;
    this.server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => socket.destroy());
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
  }

  async down(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const socket of this.sockets) socket.destroy();
    if (server) await new Promise((resolve) => server.close(resolve));
  }
}

type Call = (req: unknown, md: grpc.Metadata, cb: (err: grpc.ServiceError | null, res: any) => void) => void;

describe('recognition with a real camera-registry: outages, unknown cameras, ingest keys', () => {
  let identity: TestIdentity;
  let registryDb: { url: string; drop(): Promise<void> };
  let recognitionDb: { url: string; drop(): Promise<void> };
  let link: DatabaseLink;
  let registry: RunningServiceApp;
  let recognition: RunningServiceApp;
  let client: Record<string, Call>;
  let camera: { id: string; externalId: string; videoSystemId: string };
  let key: string;
  let pg: Client;
  let admin: ReturnType<typeof request.agent>;

  beforeAll(async () => {
    identity = await createTestIdentity();
    registryDb = await createTestDatabase('outagereg');
    recognitionDb = await createTestDatabase('outagerec');
    const real = new URL(registryDb.url);
    link = new DatabaseLink({ host: real.hostname, port: Number(real.port) }, await freeLoopbackPort());
    await link.up();
    const viaLink = new URL(registryDb.url);
    viaLink.hostname = '127.0.0.1';
    viaLink.port = String(link.port);
    const registryGrpc = `127.0.0.1:${await freeLoopbackPort()}`;
    registry = await startCameraRegistry({
      databaseUrl: viaLink.toString(),
      transport: { kind: 'in-process', bus: new InProcessBus() },
      http: { port: 0 },
      grpcUrl: registryGrpc,
      runMigrations: true,
      identity: identity.identity,
    });
    // Its own bus: recognition learns of the camera only by asking camera-registry over gRPC.
    recognition = await startRecognition({
      databaseUrl: recognitionDb.url,
      transport: { kind: 'in-process', bus: new InProcessBus() },
      http: { port: 0 },
      cameraRegistryGrpcUrl: registryGrpc,
      identity: identity.identity,
      runMigrations: true,
    });
    admin = request.agent(registry.httpUrl).set('authorization', await identity.bearer('admin'));
    const system = (
      await admin
        .post('/video-systems')
        .send({ regionCode: 'ALA', name: 'Almaty', vendor: 'hikvision', ingestionMethod: 'hikvision-isapi' })
        .expect(201)
    ).body;
    camera = (
      await admin
        .post('/cameras')
        .send({
          videoSystemId: system.id,
          externalId: '7',
          name: 'Abay / Dostyk',
          location: { lat: 43.2383, lon: 76.9454 },
          capabilities: ['behaviour'],
        })
        .expect((res) => expect([res.status, res.body]).toEqual([201, expect.anything()]))
    ).body;
    key = (await recognition.app.get(ApiKeyStore).issue({ videoSystemId: system.id, regionCode: 'ALA' }))
      .apiKey;
    const options = grpcOptions(CameraRegistryGrpc);
    const pkg = grpc.loadPackageDefinition(protoLoader.loadSync(options.protoPath, options.loader)) as any;
    client = new pkg.safecity.cameras.v1.CameraRegistry(registryGrpc, grpc.credentials.createInsecure());
    pg = new Client({ connectionString: recognitionDb.url });
    await pg.connect();
  }, 90_000);

  afterAll(async () => {
    await pg?.end();
    await link?.up();
    await recognition?.close();
    await registry?.close();
    await link?.down();
    await recognitionDb?.drop();
    await registryDb?.drop();
  }, 60_000);

  const call = async (method: string, body: unknown) => {
    const metadata = new grpc.Metadata();
    metadata.set('authorization', await identity.bearer('service'));
    return new Promise<{ code: number; response?: any }>((resolve) =>
      client[method]!.call(client, body, metadata, (err, res) =>
        resolve(err ? { code: err.code } : { code: grpc.status.OK, response: res }),
      ),
    );
  };
  const detection = (vendorEventId: string) => ({
    vendorEventId,
    cameraExternalId: camera.externalId,
    observedAt: new Date().toISOString(),
    kind: 'behaviour',
    behaviour: { type: 'fight', confidence: 0.9 },
  });

  it('answers UNAVAILABLE (not NOT_FOUND) on gRPC, 503 on REST, and keeps detections to be resent', async () => {
    await link.down();
    try {
      expect((await call('getCamera', { id: camera.id })).code).toBe(grpc.status.UNAVAILABLE);
      expect(
        (await call('resolveExternalCamera', { videoSystemId: camera.videoSystemId, externalId: '7' })).code,
      ).toBe(grpc.status.UNAVAILABLE);
      expect((await call('batchGetCameras', { ids: [camera.id] })).code).toBe(grpc.status.UNAVAILABLE);

      const operator = await identity.bearer('operator', ['ALA']);
      for (const path of [
        `/camera-directory/${camera.id}`,
        `/camera-directory/resolve/${camera.videoSystemId}/7`,
      ]) {
        const lookup = await request(recognition.httpUrl).get(path).set('authorization', operator);
        expect([path, lookup.status]).toEqual([path, 503]);
      }

      const refused = await request(recognition.httpUrl)
        .post('/ingest/v1/detections')
        .set('x-api-key', key)
        .send(detection('during-outage'));
      expect(refused.status).toBe(503);
      expect(refused.headers['retry-after']).toBeDefined();
    } finally {
      await link.up();
    }
    expect((await call('getCamera', { id: camera.id })).response.camera.id).toBe(camera.id);
    // The video system sends again what was refused, and now it is taken.
    const resent = await request(recognition.httpUrl)
      .post('/ingest/v1/detections')
      .set('x-api-key', key)
      .send(detection('during-outage'))
      .expect(200);
    expect(resent.body).toMatchObject({ accepted: 1, dropped: {} });
  });

  it('still answers NOT_FOUND for a camera that does not exist, and names the id it looked for', async () => {
    expect((await call('getCamera', { id: '00000000-0000-4000-8000-000000000000' })).code).toBe(
      grpc.status.NOT_FOUND,
    );
    const res = await request(recognition.httpUrl)
      .post('/ingest/v1/detections')
      .set('x-api-key', key)
      .send({ ...detection('no-such-camera'), cameraExternalId: 'channel-99' })
      .expect(200);
    expect(res.body.detections[0]).toMatchObject({
      outcome: 'dropped',
      reason: 'unknown-camera',
      detail: `no camera with externalId "channel-99" is registered for video system ${camera.videoSystemId} in its region`,
    });
  });

  it('issues ingest keys only for a video system in the caller regions; a missing one and another region are alike 404', async () => {
    const keys = (systemId: string) => `/video-systems/${systemId}/ingest-keys`;
    const almaty = await identity.bearer('region-admin', ['ALA'], 'akimat-admin');
    const astana = await identity.bearer('region-admin', ['AST']);
    // A system without cameras: nothing in recognition knows it but camera-registry.
    const bare = (
      await admin
        .post('/video-systems')
        .send({
          regionCode: 'ALA',
          name: 'Almaty bare',
          vendor: 'onvif-generic',
          ingestionMethod: 'onvif-events',
        })
        .expect(201)
    ).body;
    const missing = '0f0e0d0c-0b0a-4908-8706-050403020100';
    const refusals = [];
    for (const [systemId, bearer] of [
      [bare.id, astana],
      [camera.videoSystemId, astana],
      [missing, astana],
      [missing, almaty],
    ] as const) {
      for (const body of [{}, { regionCode: 'AST' }, { regionCode: 'ALA' }]) {
        const res = await request(recognition.httpUrl)
          .post(keys(systemId))
          .set('authorization', bearer)
          .send(body);
        refusals.push([res.status, JSON.stringify(res.body).replaceAll(systemId, '<id>')]);
      }
    }
    expect(new Set(refusals.map((r) => JSON.stringify(r)))).toEqual(
      new Set([
        // One answer whatever the case: an RFC 9457 problem, with the fields clients read before.
        JSON.stringify([
          404,
          JSON.stringify({
            type: 'urn:safecity:problem:not-found',
            title: 'Not Found',
            status: 404,
            detail: 'video system <id> not found',
            instance: '/video-systems/<id>/ingest-keys',
            statusCode: 404,
            error: 'Not Found',
            message: 'video system <id> not found',
          }),
        ]),
      ]),
    );
    const mismatch = await request(recognition.httpUrl)
      .post(keys(bare.id))
      .set('authorization', almaty)
      .send({ regionCode: 'AST' })
      .expect(422);
    expect(mismatch.body.problems).toEqual([
      { field: 'regionCode', reason: "is not the video system's region" },
    ]);

    const issued = await request(recognition.httpUrl)
      .post(keys(camera.videoSystemId))
      .set('authorization', almaty)
      .send({ label: 'bridge' })
      .expect(201);
    expect(issued.body).toMatchObject({ regionCode: 'ALA', videoSystemId: camera.videoSystemId });
    await request(recognition.httpUrl)
      .post('/ingest/v1/detections')
      .set('x-api-key', issued.body.apiKey)
      .send(detection('with-issued-key'))
      .expect(200);
    await request(recognition.httpUrl)
      .post(keys(camera.videoSystemId))
      .set('authorization', await identity.bearer('operator', ['ALA']))
      .send({})
      .expect(403);
    const listed = await request(recognition.httpUrl)
      .get(keys(camera.videoSystemId))
      .set('authorization', almaty)
      .expect(200);
    expect(JSON.stringify(listed.body)).not.toContain(issued.body.apiKey);
    await request(recognition.httpUrl)
      .delete(`${keys(camera.videoSystemId)}/${issued.body.keyId}`)
      .set('authorization', almaty)
      .expect(204);
    await request(recognition.httpUrl)
      .post('/ingest/v1/detections')
      .set('x-api-key', issued.body.apiKey)
      .send(detection('after-revocation'))
      .expect(401);
    const audit = await pg.query(
      `SELECT action, actor_subject, region_code FROM recognition.audit_log WHERE object_id = $1 ORDER BY seq`,
      [issued.body.keyId],
    );
    expect(audit.rows).toEqual([
      { action: 'create', actor_subject: 'akimat-admin', region_code: 'ALA' },
      { action: 'erase', actor_subject: 'akimat-admin', region_code: 'ALA' },
    ]);
  });
});
