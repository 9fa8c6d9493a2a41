import { CameraRegistryGrpc } from '@safecity/contracts';
import { InProcessBus } from '@safecity/messaging';
import { freeLoopbackPort } from '@safecity/persistence';
import { createTestDatabase, createTestIdentity, describeAuthorizationMatrix } from '@safecity/testing';
import { startCameraRegistry } from '../src/bootstrap';

// Generated from the policies and from the routes and methods the service serves: every role,
// with every region and with one, and nobody, against every REST route and every gRPC method.
describeAuthorizationMatrix('camera-registry: role × operation × transport', async () => {
  const db = await createTestDatabase('crauthz');
  const identity = await createTestIdentity();
  const bus = new InProcessBus();
  const grpcUrl = `127.0.0.1:${await freeLoopbackPort()}`;
  const service = await startCameraRegistry({
    databaseUrl: db.url,
    transport: { kind: 'in-process', bus },
    http: { port: 0 },
    grpcUrl,
    identity: identity.identity,
    runMigrations: true,
  });
  return {
    app: service.app,
    httpUrl: service.httpUrl,
    grpcUrl,
    grpc: CameraRegistryGrpc,
    identity,
    close: async () => {
      await service.close();
      bus.close();
      await db.drop();
    },
  };
});
