import 'reflect-metadata';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Controller, Get, Injectable, Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Payload, Transport, type MicroserviceOptions } from '@nestjs/microservices';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type KeyLike } from 'jose';
import request from 'supertest';
import {
  Camera,
  CameraRegistryControllerMethods,
  CameraRegistryGrpc,
  grpcOptions,
  type BatchGetCamerasRequest,
  type GetCameraRequest,
  type ResolveExternalCameraRequest,
} from '@safecity/contracts';
import { freeLoopbackPort } from '@safecity/persistence';
import {
  CurrentPrincipal,
  definePolicies,
  JwtVerifier,
  Operation,
  principalOf,
  SecurityModule,
  ServiceCredentials,
  UseCase,
  type Principal,
} from '../src';

const ISSUER = 'https://idp.test/realms/safecity';
const AUDIENCE = 'safecity';

interface SigningKey {
  kid: string;
  privateKey: KeyLike;
  jwk: JWK;
}

async function signingKey(kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' } };
}

const now = () => Math.floor(Date.now() / 1000);
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

function token(key: SigningKey, claims: Record<string, unknown> = {}, edit?: (jwt: SignJWT) => SignJWT) {
  let jwt = new SignJWT({ roles: ['operator'], regions: ['ALA'], ...claims })
    .setProtectedHeader({ alg: 'ES256', kid: key.kid })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject('alice')
    .setIssuedAt()
    .setExpirationTime('5m');
  if (edit) jwt = edit(jwt);
  return jwt.sign(key.privateKey);
}

/** A JWKS endpoint on loopback that counts how often it is fetched. */
class JwksServer {
  keys: JWK[] = [];
  fetches = 0;
  private server!: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((_req, res) => {
      this.fetches += 1;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: this.keys }));
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/certs`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('JWKS over HTTP: key rotation and refetch rate limit', () => {
  const jwks = new JwksServer();
  let current: SigningKey;
  let next: SigningKey;

  beforeAll(async () => {
    await jwks.start();
    current = await signingKey('k1');
    next = await signingKey('k2');
  });
  afterAll(() => jwks.stop());
  beforeEach(() => {
    jwks.keys = [current.jwk];
    jwks.fetches = 0;
  });

  it('picks up a rotated key on an unknown kid, but no more often than the cooldown allows', async () => {
    const verifier = new JwtVerifier({
      jwksUrl: jwks.url,
      issuer: ISSUER,
      audience: AUDIENCE,
      jwksCooldownMs: 400,
    });
    await expect(verifier.verify(await token(current))).resolves.toMatchObject({ subject: 'alice' });
    expect(jwks.fetches).toBe(1);

    // The identity provider rotates; the first token with the new kid arrives inside the cooldown.
    jwks.keys = [current.jwk, next.jwk];
    await expect(verifier.verify(await token(next))).rejects.toMatchObject({ code: 'unknown-key' });
    expect(jwks.fetches).toBe(1);

    await sleep(450);
    await expect(verifier.verify(await token(next))).resolves.toMatchObject({ subject: 'alice' });
    expect(jwks.fetches).toBe(2);
  });

  it('does not let a flood of unknown kids hammer the identity provider (default cooldown 30 s)', async () => {
    const verifier = new JwtVerifier({ jwksUrl: jwks.url, issuer: ISSUER, audience: AUDIENCE });
    await verifier.verify(await token(current));
    const strangers = await Promise.all(Array.from({ length: 5 }, (_, i) => signingKey(`attacker-${i}`)));
    const forged = await Promise.all(strangers.flatMap((k) => [token(k), token(k), token(k), token(k)]));
    const results = await Promise.allSettled(forged.map((t) => verifier.verify(t)));
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    expect(jwks.fetches).toBe(1);
  });

  it('refuses tokens while the JWKS cannot be fetched', async () => {
    const verifier = new JwtVerifier({
      jwksUrl: 'http://127.0.0.1:9/certs',
      issuer: ISSUER,
      audience: AUDIENCE,
      jwksTimeoutMs: 500,
    });
    await expect(verifier.verify(await token(current))).rejects.toMatchObject({
      name: 'AuthenticationError',
    });
  });
});

// --- A service protected end to end: REST and gRPC, verifying against the JWKS URL ----------------

const P = definePolicies('cameras-test', {
  listCameras: { callers: ['operator', 'supervisor'], regions: 'own', reveals: [] },
  getCamera: { callers: ['operator', 'service'], regions: 'own', reveals: [] },
  batchGetCameras: { callers: ['operator', 'service'], regions: 'own', reveals: [] },
  resolveExternalCamera: { callers: ['service'], regions: 'own', reveals: [] },
});

/** The use case behind ResolveExternalCamera: services only, whatever its handler admits. */
@Injectable()
class CameraResolver {
  @UseCase(P.resolveExternalCamera)
  resolve(_caller: Principal | undefined) {
    return { camera: null };
  }
}

@Controller('cameras')
class CamerasHttpController {
  @Get()
  @Operation(P.listCameras)
  list(@CurrentPrincipal() principal: Principal) {
    return { regions: principal.regions };
  }
}

@Controller()
@CameraRegistryControllerMethods()
class CamerasGrpcController {
  constructor(private readonly resolver: CameraResolver) {}

  @Operation(P.getCamera)
  getCamera(@Payload() request: GetCameraRequest, @CurrentPrincipal() principal: Principal) {
    const region = principal.regions === 'all' ? 'ALL' : (principal.regions[0] ?? '');
    return {
      camera: Camera.fromPartial({
        id: request.id,
        name: `seen by ${principal.subject}`,
        regionCode: region,
      }),
    };
  }

  // Positional arguments, as Nest passes them without parameter decorators.
  @Operation(P.batchGetCameras)
  batchGetCameras(request: BatchGetCamerasRequest, metadata: grpc.Metadata) {
    const principal = principalOf(metadata);
    return { cameras: [], missingIds: [...request.ids, `principal:${principal?.subject}`] };
  }

  // A handler that names a laxer policy than its use case: the use case still refuses.
  @Operation(P.getCamera)
  resolveExternalCamera(_request: ResolveExternalCameraRequest, metadata: grpc.Metadata) {
    return this.resolver.resolve(principalOf(metadata));
  }

  // Every method of the contract must have a handler; this one has no policy, so none may call it.
  listOperationsCenters() {
    return { operationsCenters: [] };
  }

  getVideoSystem() {
    return { videoSystem: null };
  }
}

type Call<T> = (
  request: unknown,
  metadata: grpc.Metadata,
  callback: (error: grpc.ServiceError | null, response: T) => void,
) => void;

type CameraClient = grpc.Client & Record<string, Call<Record<string, unknown>>>;

/** One service instance: REST and gRPC, verifying tokens against `jwksUrl`. */
async function startService(jwksUrl: string): Promise<{ app: INestApplication; client: CameraClient }> {
  @Module({
    imports: [SecurityModule.forRoot({ jwksUrl, issuer: ISSUER, audience: AUDIENCE })],
    controllers: [CamerasHttpController, CamerasGrpcController],
    providers: [CameraResolver],
  })
  class AppModule {}
  const app = await NestFactory.create(AppModule, { logger: false });
  const grpcUrl = `127.0.0.1:${await freeLoopbackPort()}`;
  app.connectMicroservice<MicroserviceOptions>({
    transport: Transport.GRPC,
    options: { ...grpcOptions(CameraRegistryGrpc), url: grpcUrl },
  });
  await app.startAllMicroservices();
  await app.init();
  const options = grpcOptions(CameraRegistryGrpc);
  const pkg = grpc.loadPackageDefinition(
    protoLoader.loadSync(options.protoPath, options.loader),
  ) as unknown as {
    safecity: {
      cameras: { v1: { CameraRegistry: new (url: string, creds: grpc.ChannelCredentials) => CameraClient } };
    };
  };
  return {
    app,
    client: new pkg.safecity.cameras.v1.CameraRegistry(grpcUrl, grpc.credentials.createInsecure()),
  };
}

function callOn<T>(client: CameraClient, method: string, body: unknown, metadata = new grpc.Metadata()) {
  return new Promise<{ error: grpc.ServiceError | null; response: T }>((resolve) =>
    (client[method] as Call<T>).call(client, body, metadata, (error, response) =>
      resolve({ error, response }),
    ),
  );
}

describe('a service behind SecurityModule (API2:2023): REST and gRPC', () => {
  const jwks = new JwksServer();
  let key: SigningKey;
  let app: INestApplication;
  let http: ReturnType<typeof request>;
  let client: CameraClient;

  beforeAll(async () => {
    await jwks.start();
    key = await signingKey('k1');
    jwks.keys = [key.jwk];
    ({ app, client } = await startService(jwks.url));
    http = request(app.getHttpServer());
  });

  afterAll(async () => {
    client?.close();
    await app?.close();
    await jwks.stop();
  });

  const call = <T>(method: string, body: unknown, metadata?: grpc.Metadata) =>
    callOn<T>(client, method, body, metadata);

  async function badTokens(): Promise<[string, string][]> {
    const stranger = await signingKey('k1');
    const good = await token(key);
    const [head, , signature] = good.split('.');
    return [
      ['expired', await token(key, {}, (j) => j.setIssuedAt(now() - 3600).setExpirationTime(now() - 120))],
      ['not yet valid', await token(key, {}, (j) => j.setNotBefore(now() + 600))],
      ['wrong issuer', await token(key, {}, (j) => j.setIssuer('https://evil.test'))],
      ['wrong audience', await token(key, {}, (j) => j.setAudience('billing'))],
      [
        'alg none',
        `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'alice', iss: ISSUER, aud: AUDIENCE, exp: now() + 300, roles: ['admin'] })}.`,
      ],
      [
        'tampered',
        `${head}.${b64({ sub: 'alice', iss: ISSUER, aud: AUDIENCE, exp: now() + 300, roles: ['admin'], regions: ['*'] })}.${signature}`,
      ],
      ['unknown key', await token(await signingKey('k9'))],
      ['known kid, other key', await token(stranger)],
    ];
  }

  it('answers 401 over REST to every kind of bad token, without echoing it', async () => {
    for (const [what, bad] of await badTokens()) {
      const response = await http.get('/cameras').set('Authorization', `Bearer ${bad}`);
      expect({ what, status: response.status }).toEqual({ what, status: 401 });
      expect(JSON.stringify(response.body)).not.toContain(bad.split('.')[1]!.slice(0, 30));
    }
    await http.get('/cameras').expect(401);
    await http
      .get('/cameras')
      .set('Authorization', `Bearer ${await token(key)}`)
      .expect(200, { regions: ['ALA'] });
  });

  it('answers UNAUTHENTICATED over gRPC to every kind of bad token', async () => {
    for (const [what, bad] of await badTokens()) {
      const { error } = await call('GetCamera', { id: 'c-1' }, ServiceCredentials.bearer(bad));
      expect({ what, code: error?.code }).toEqual({ what, code: grpc.status.UNAUTHENTICATED });
    }
    const { error } = await call('GetCamera', { id: 'c-1' });
    expect(error?.code).toBe(grpc.status.UNAUTHENTICATED);
    expect(error?.details).toBe('no bearer token');
  });

  it('hands the principal to gRPC handlers, decorated or positional', async () => {
    const metadata = ServiceCredentials.bearer(await token(key));
    const got = await call<{ camera: { id: string; name: string; regionCode: string } }>(
      'GetCamera',
      { id: 'c-1' },
      metadata,
    );
    expect(got.error).toBeNull();
    expect(got.response.camera).toMatchObject({ id: 'c-1', name: 'seen by alice', regionCode: 'ALA' });

    const batch = await call<{ missingIds: string[] }>(
      'BatchGetCameras',
      { ids: ['x'] },
      ServiceCredentials.bearer(await token(key)),
    );
    expect(batch.response.missingIds).toEqual(['x', 'principal:alice']);
  });

  it('answers PERMISSION_DENIED to a gRPC call its use case refuses, and lets a service identity in', async () => {
    const { error } = await call(
      'ResolveExternalCamera',
      { videoSystemId: 'v', externalId: 'e' },
      ServiceCredentials.bearer(await token(key)),
    );
    expect(error?.code).toBe(grpc.status.PERMISSION_DENIED);
    expect(error?.details).toBe('requires one of the roles: service');

    const service = await token(key, { roles: ['service'], regions: undefined }, (j) =>
      j.setSubject('service:recognition'),
    );
    const resolved = await call(
      'ResolveExternalCamera',
      { videoSystemId: 'v', externalId: 'e' },
      ServiceCredentials.bearer(service),
    );
    expect(resolved.error).toBeNull();
    const got = await call<{ camera: { regionCode: string } }>(
      'GetCamera',
      { id: 'c-2' },
      ServiceCredentials.bearer(service),
    );
    expect(got.response.camera.regionCode).toBe('ALL');
  });

  it('answers PERMISSION_DENIED to every call of a gRPC method without a policy', async () => {
    for (const roles of [['operator'], ['service'], ['admin']]) {
      const { error } = await call(
        'ListOperationsCenters',
        {},
        ServiceCredentials.bearer(await token(key, { roles })),
      );
      expect(error?.code).toBe(grpc.status.PERMISSION_DENIED);
      expect(error?.details).toBe('this operation has no authorization policy');
    }
  });

  it('keeps its own gRPC guard when another application in the process uses the same controllers', async () => {
    const otherJwks = new JwksServer();
    await otherJwks.start();
    const otherKey = await signingKey('other-1');
    otherJwks.keys = [otherKey.jwk];
    const other = await startService(otherJwks.url);
    try {
      const mine = ServiceCredentials.bearer(await token(key));
      const theirs = ServiceCredentials.bearer(await token(otherKey));
      expect((await call('GetCamera', { id: 'c' }, mine)).error).toBeNull();
      expect((await call('GetCamera', { id: 'c' }, theirs)).error?.code).toBe(grpc.status.UNAUTHENTICATED);
      expect((await callOn(other.client, 'GetCamera', { id: 'c' }, theirs)).error).toBeNull();
      expect((await callOn(other.client, 'GetCamera', { id: 'c' }, mine)).error?.code).toBe(
        grpc.status.UNAUTHENTICATED,
      );
    } finally {
      other.client.close();
      await other.app.close();
      await otherJwks.stop();
    }
  });
});
