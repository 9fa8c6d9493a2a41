import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { CameraRegistryGrpc, grpcOptions } from '@safecity/contracts';
import { InProcessBus } from '@safecity/messaging';
import { freeLoopbackPort } from '@safecity/persistence';
import type { RunningServiceApp } from '@safecity/service-kit';
import { createTestDatabase, createTestIdentity, type TestIdentity } from '@safecity/testing';
import request from 'supertest';
import { startCameraRegistry } from '../src/bootstrap';

type Call = (req: unknown, md: grpc.Metadata, cb: (err: grpc.ServiceError | null, res: any) => void) => void;

describe('gRPC ListOperationsCenters', () => {
  let db: { url: string; drop(): Promise<void> };
  let identity: TestIdentity;
  let service: RunningServiceApp;
  let client: Record<string, Call>;

  beforeAll(async () => {
    db = await createTestDatabase('camregoc');
    identity = await createTestIdentity();
    const grpcUrl = `127.0.0.1:${await freeLoopbackPort()}`;
    service = await startCameraRegistry({
      databaseUrl: db.url,
      transport: { kind: 'in-process', bus: new InProcessBus() },
      http: { port: 0 },
      grpcUrl,
      runMigrations: true,
      identity: identity.identity,
    });
    const admin = request.agent(service.httpUrl).set('authorization', await identity.bearer('admin'));
    await admin
      .post('/operations-centers')
      .send({
        name: 'Almaly center',
        regionCode: 'ALA',
        coverage: { minLon: 76.9, minLat: 43.24, maxLon: 76.95, maxLat: 43.27 },
      })
      .expect(201);
    await admin.post('/operations-centers').send({ name: 'Astana center', regionCode: 'AST' }).expect(201);
    const options = grpcOptions(CameraRegistryGrpc);
    const pkg = grpc.loadPackageDefinition(protoLoader.loadSync(options.protoPath, options.loader)) as any;
    client = new pkg.safecity.cameras.v1.CameraRegistry(grpcUrl, grpc.credentials.createInsecure());
  }, 60_000);

  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  const list = async (regionCode: string, regions: string[] | 'all') => {
    const metadata = new grpc.Metadata();
    metadata.set('authorization', await identity.bearer('service', regions));
    return new Promise<any>((resolve, reject) =>
      client.listOperationsCenters.call(client, { regionCode }, metadata, (err, res) =>
        err ? reject(err) : resolve(res),
      ),
    );
  };

  it('lists the centers with their coverage, within the caller’s regions', async () => {
    const all = await list('', 'all');
    expect(all.operationsCenters.map((c: { name: string }) => c.name).sort()).toEqual([
      'Almaly center',
      'Astana center',
    ]);
    const almaly = all.operationsCenters.find((c: { name: string }) => c.name === 'Almaly center');
    expect(almaly.coverage).toEqual({
      southWest: { lat: 43.24, lon: 76.9 },
      northEast: { lat: 43.27, lon: 76.95 },
    });
    expect((await list('', ['AST'])).operationsCenters.map((c: { name: string }) => c.name)).toEqual([
      'Astana center',
    ]);
    expect((await list('ALA', 'all')).operationsCenters).toHaveLength(1);
  });

  it('refuses a malformed region code', async () => {
    await expect(list('not a region', 'all')).rejects.toMatchObject({ code: grpc.status.INVALID_ARGUMENT });
  });
});
