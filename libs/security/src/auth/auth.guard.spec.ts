import 'reflect-metadata';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Controller, Get, Module, type INestApplication } from '@nestjs/common';
import { NestFactory, Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { Metadata, status } from '@grpc/grpc-js';
import { KafkaContext, RpcException } from '@nestjs/microservices';
import request from 'supertest';
import type { Principal } from '../principal';
import { SecurityModule } from '../security.module';
import { callKind, principalOf } from './call-context';
import { AuthGuard } from './auth.guard';
import { Operation } from '../policy/decorators';
import { definePolicies } from '../policy/operation-policy';
import { CurrentPrincipal } from './decorators';
import { LocalIssuer } from './local-issuer';
import { createLocalIssuerController } from './local-issuer.controller';
import { JwtVerifier } from './jwt-verifier';

const P = definePolicies('test', {
  listCameras: { callers: ['admin', 'region-admin', 'operator', 'analyst'], regions: 'own', reveals: [] },
  administerCameras: { callers: ['admin', 'region-admin'], regions: 'own', reveals: [] },
  openCameras: { callers: 'anyone', regions: 'none', reveals: [] },
  readReports: { callers: ['analyst'], regions: 'own', reveals: [] },
  shareReports: { callers: ['operator', 'analyst'], regions: 'own', reveals: [] },
  publishNationalReport: { callers: ['analyst'], regions: 'national', reveals: [] },
  resolveForServices: { callers: ['service'], regions: 'own', reveals: [] },
  resolveForOperators: { callers: ['operator'], regions: 'own', reveals: [] },
  resolveForAnyone: { callers: 'anyone', regions: 'none', reveals: [] },
});

@Controller('cameras')
class CamerasController {
  @Get()
  @Operation(P.listCameras)
  list(@CurrentPrincipal() principal: Principal) {
    return { principal };
  }

  @Get('admin')
  @Operation(P.administerCameras)
  admin() {
    return { ok: true };
  }

  @Get('open')
  @Operation(P.openCameras)
  open(@CurrentPrincipal() principal: Principal | undefined) {
    return { ok: true, principal: principal ?? null };
  }

  /** A route someone forgot to give a policy. */
  @Get('forgotten')
  forgotten() {
    return { ok: true };
  }
}

@Controller('reports')
class ReportsController {
  @Get()
  @Operation(P.readReports)
  list() {
    return { ok: true };
  }

  @Get('shared')
  @Operation(P.shareReports)
  shared() {
    return { ok: true };
  }

  @Get('national')
  @Operation(P.publishNationalReport)
  national() {
    return { ok: true };
  }
}

@Controller()
class ProbesController {
  @Get('health/live')
  live() {
    return { status: 'ok' };
  }

  @Get('health/other')
  other() {
    return { status: 'ok' };
  }

  @Get('metrics')
  metrics() {
    return 'metrics';
  }
}

describe('AuthGuard over HTTP', () => {
  let app: INestApplication;
  let issuer: LocalIssuer;
  let http: ReturnType<typeof request>;

  beforeAll(async () => {
    issuer = await LocalIssuer.open({
      directory: join(mkdtempSync(join(tmpdir(), 'safecity-guard-')), 'issuer'),
    });
    @Module({
      imports: [SecurityModule.forRoot({ verifier: issuer.verifier() })],
      controllers: [
        CamerasController,
        ReportsController,
        ProbesController,
        createLocalIssuerController(issuer),
      ],
    })
    class AppModule {}
    app = await NestFactory.create(AppModule, { logger: false });
    await app.init();
    http = request(app.getHttpServer());
  });

  afterAll(() => app.close());

  const token = (roles: Principal['roles'], regions: string[] | 'all' = ['ALA']) =>
    issuer.issue({ subject: 'alice', roles, regions });

  it('answers 401 with a Bearer challenge without a token', async () => {
    const response = await http.get('/cameras').expect(401);
    expect(response.headers['www-authenticate']).toMatch(/^Bearer /);
    expect(response.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: 'no bearer token' });
  });

  it('answers 401 to malformed credentials and never echoes them', async () => {
    const valid = await token(['operator']);
    for (const authorization of [
      `Basic ${valid}`,
      'Bearer',
      `Bearer ${valid} extra`,
      `Bearer ${valid.slice(0, -3)}xyz`,
    ]) {
      const response = await http.get('/cameras').set('Authorization', authorization).expect(401);
      expect(JSON.stringify(response.body)).not.toContain(valid.slice(20, 60));
    }
  });

  it('puts the principal of a valid token on the request', async () => {
    const response = await http
      .get('/cameras')
      .set('Authorization', `Bearer ${await token(['operator'])}`)
      .expect(200);
    expect(response.body.principal).toEqual({
      kind: 'user',
      subject: 'alice',
      roles: ['operator'],
      regions: ['ALA'],
    });
  });

  it('answers 403 naming the roles a route needs (API5:2023 function-level authorization)', async () => {
    const response = await http
      .get('/cameras/admin')
      .set('Authorization', `Bearer ${await token(['operator'])}`)
      .expect(403);
    expect(response.body).toEqual({
      statusCode: 403,
      error: 'Forbidden',
      message: 'requires one of the roles: admin, region-admin',
    });
    await http
      .get('/cameras/admin')
      .set('Authorization', `Bearer ${await token(['region-admin'])}`)
      .expect(200);
  });

  it("admits exactly the roles of each route's operation policy", async () => {
    const operator = `Bearer ${await token(['operator'])}`;
    await http.get('/reports').set('Authorization', operator).expect(403);
    await http
      .get('/reports')
      .set('Authorization', `Bearer ${await token(['analyst'])}`)
      .expect(200);
    await http.get('/reports/shared').set('Authorization', operator).expect(200);
  });

  it('admits only callers of every region to an operation on national data', async () => {
    const regional = await http
      .get('/reports/national')
      .set('Authorization', `Bearer ${await token(['analyst'], ['ALA'])}`)
      .expect(403);
    expect(regional.body.message).toMatch(/only national roles/);
    await http
      .get('/reports/national')
      .set('Authorization', `Bearer ${await token(['analyst'], 'all')}`)
      .expect(200);
  });

  it('refuses every call of a route without a policy, whoever calls', async () => {
    for (const authorization of [undefined, `Bearer ${await token(['admin'], 'all')}`]) {
      const call = http.get('/cameras/forgotten');
      const response = await (authorization ? call.set('Authorization', authorization) : call).expect(403);
      expect(response.body.message).toBe('this operation has no authorization policy');
    }
  });

  it('does not imply other roles from admin', async () => {
    await http
      .get('/reports')
      .set('Authorization', `Bearer ${await token(['admin'], 'all')}`)
      .expect(403);
  });

  it('lets routes open to anyone and the probe paths through without a token', async () => {
    await http.get('/cameras/open').expect(200, { ok: true, principal: null });
    await http.get('/health/live').expect(200);
    await http.get('/health/live?verbose=1').expect(200);
    await http.get('/metrics').expect(200);
    // Only the listed paths: a sibling is not public, and without a policy it is refused.
    await http.get('/health/other').expect(403);
  });

  it("serves the local issuer's public keys without a token, and they verify its tokens", async () => {
    const response = await http.get('/auth/.well-known/jwks.json').expect(200);
    expect(response.body.keys[0]).not.toHaveProperty('d');
    const verifier = new JwtVerifier({ issuer: issuer.issuer, audience: 'safecity', jwks: response.body });
    await expect(verifier.verify(await token(['operator']))).resolves.toMatchObject({ subject: 'alice' });
  });

  it('still refuses a bad token on a protected route after a public one', async () => {
    await http.get('/cameras').set('Authorization', 'Bearer not.a.token').expect(401);
  });
});

describe('callKind', () => {
  const handler = () => undefined;
  it('tells HTTP, gRPC and bus events apart', () => {
    const http = new ExecutionContextHost([{ headers: {} }, {}], CamerasController, handler);
    http.setType('http');
    expect(callKind(http)).toBe('http');
    const grpc = new ExecutionContextHost([{}, new Metadata(), {}], CamerasController, handler);
    grpc.setType('rpc');
    expect(callKind(grpc)).toBe('grpc');
    const event = new ExecutionContextHost([{}, new KafkaContext([] as never)], CamerasController, handler);
    event.setType('rpc');
    expect(callKind(event)).toBe('event');
    const unknown = new ExecutionContextHost([{}, {}], CamerasController, handler);
    unknown.setType('rpc');
    expect(callKind(unknown)).toBe('other');
  });
});

describe('AuthGuard on gRPC calls', () => {
  interface Resolver {
    resolve(): null;
  }
  class ServiceOnly implements Resolver {
    @Operation(P.resolveForServices)
    resolve() {
      return null;
    }
  }
  class OperatorsOnly implements Resolver {
    @Operation(P.resolveForOperators)
    resolve() {
      return null;
    }
  }
  class Open implements Resolver {
    @Operation(P.resolveForAnyone)
    resolve() {
      return null;
    }
  }

  let issuer: LocalIssuer;
  let guard: AuthGuard;

  beforeAll(async () => {
    issuer = await LocalIssuer.open({ directory: mkdtempSync(join(tmpdir(), 'safecity-grpc-guard-')) });
  });
  beforeEach(() => {
    guard = new AuthGuard(new Reflector(), issuer.verifier(), {});
  });

  function call(controller: new () => Resolver, token?: string) {
    const metadata = new Metadata();
    if (token !== undefined) metadata.set('authorization', `Bearer ${token}`);
    const context = new ExecutionContextHost([{}, metadata, {}], controller, controller.prototype.resolve);
    context.setType('rpc');
    return { context, metadata };
  }

  const codeOf = (error: unknown) => ((error as RpcException).getError() as { code: number }).code;

  it('verifies a token on its first call, then admits it synchronously with its principal attached', async () => {
    const token = await issuer.issue({ subject: 'recognition', roles: ['service'], regions: 'all' });
    const first = call(ServiceOnly, token);
    const verdict = guard.canActivate(first.context);
    expect(verdict).toBeInstanceOf(Promise);
    await expect(verdict).resolves.toBe(true);
    expect(principalOf(first.metadata)?.subject).toBe('recognition');

    const second = call(ServiceOnly, token);
    expect(guard.canActivate(second.context)).toBe(true);
    expect(principalOf(second.metadata)?.subject).toBe('recognition');
  });

  it("still enforces each handler's policy for a token verified moments ago", async () => {
    const token = await issuer.issue({ subject: 'recognition', roles: ['service'], regions: 'all' });
    await guard.canActivate(call(ServiceOnly, token).context);
    expect(guard.canActivate(call(ServiceOnly, token).context)).toBe(true);
    let refusal: unknown;
    try {
      guard.canActivate(call(OperatorsOnly, token).context);
    } catch (error) {
      refusal = error;
    }
    expect(codeOf(refusal)).toBe(status.PERMISSION_DENIED);
    expect(guard.canActivate(call(Open).context)).toBe(true);
  });

  it('refuses a missing, malformed or unknown token whatever was verified before', async () => {
    const token = await issuer.issue({ subject: 'recognition', roles: ['service'], regions: 'all' });
    await guard.canActivate(call(ServiceOnly, token).context);
    const other = await LocalIssuer.open({ directory: mkdtempSync(join(tmpdir(), 'safecity-grpc-guard-')) });
    const forged = await other.issue({ subject: 'recognition', roles: ['service'], regions: 'all' });
    const refusal = await Promise.resolve(guard.canActivate(call(ServiceOnly, forged).context)).catch(
      (error: unknown) => error,
    );
    expect(codeOf(refusal)).toBe(status.UNAUTHENTICATED);
    for (const bad of [undefined, `${token} extra`]) {
      expect(() => guard.canActivate(call(ServiceOnly, bad).context)).toThrow(RpcException);
    }
  });
});
