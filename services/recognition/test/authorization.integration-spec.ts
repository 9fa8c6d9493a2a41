import { RecognitionGrpc } from '@safecity/contracts';
import { InProcessBus } from '@safecity/messaging';
import { freeLoopbackPort } from '@safecity/persistence';
import { createTestDatabase, createTestIdentity, describeAuthorizationMatrix } from '@safecity/testing';
import { startTestRecognition } from './support';

// Generated from the policies and from the routes and methods the service serves: every role,
// with every region and with one, and nobody, against every REST route and every gRPC method.
describeAuthorizationMatrix('recognition: role × operation × transport', async () => {
  const db = await createTestDatabase('recauthz');
  const identity = await createTestIdentity();
  const bus = new InProcessBus();
  const grpcUrl = `127.0.0.1:${await freeLoopbackPort()}`;
  const service = await startTestRecognition(db.url, identity, { kind: 'in-process', bus }, { grpcUrl });
  return {
    app: service.app,
    httpUrl: service.httpUrl,
    grpcUrl,
    grpc: RecognitionGrpc,
    identity,
    close: async () => {
      await service.close();
      bus.close();
      await db.drop();
    },
  };
});
