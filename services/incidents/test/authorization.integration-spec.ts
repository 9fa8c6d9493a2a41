import { IncidentsGrpc } from '@safecity/contracts';
import { describeAuthorizationMatrix } from '@safecity/testing';
import { startInProcessIncidents } from './harness';

// Generated from the policies and from the routes and methods the service serves: every role,
// with every region and with one, and nobody, against every REST route and every gRPC method.
describeAuthorizationMatrix('incidents: role × operation × transport', async () => {
  const env = await startInProcessIncidents('incauthz');
  return {
    app: env.service.app,
    httpUrl: env.service.httpUrl,
    grpcUrl: env.service.grpcUrl,
    grpc: IncidentsGrpc,
    identity: env.identity,
    close: () => env.close(),
  };
});
