import { PreventionGrpc } from '@safecity/contracts';
import { describeAuthorizationMatrix } from '@safecity/testing';
import { startWorld } from './world';

// Generated from the policies and from the routes and methods the service serves: every role,
// with every region and with one, and nobody, against every REST route and every gRPC method.
describeAuthorizationMatrix('prevention: role × operation × transport', async () => {
  const world = await startWorld('prevauthz');
  return {
    app: world.service.app,
    httpUrl: world.service.httpUrl,
    grpcUrl: world.grpcUrl,
    grpc: PreventionGrpc,
    identity: world.ids,
    close: () => world.close(),
  };
});
