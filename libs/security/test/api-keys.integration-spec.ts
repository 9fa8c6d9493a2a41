import 'reflect-metadata';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Controller, Get, HttpCode, Module, Post, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { eventually } from '@safecity/testing';
import {
  ApiKeyNotFoundError,
  ApiKeyStore,
  createApiKeyTable,
  createApplicationRole,
  CurrentPrincipal,
  definePolicies,
  LocalIssuer,
  Operation,
  SecurityModule,
  VideoSystemAuth,
  type Principal,
} from '../src';
import { createTestSchema, type TestSchema } from './support';

const CACHE_TTL_MS = 400;

const P = definePolicies('keys-test', {
  ingestEvents: { callers: 'video-systems', regions: 'own', reveals: [] },
  listCameras: { callers: ['operator'], regions: 'own', reveals: [] },
});

@Controller()
class IngestController {
  @Post('ingest/events')
  @HttpCode(202)
  @VideoSystemAuth()
  @Operation(P.ingestEvents)
  ingest(@CurrentPrincipal() principal: Principal) {
    return { principal };
  }

  @Get('cameras')
  @Operation(P.listCameras)
  cameras(@CurrentPrincipal() principal: Principal) {
    return { principal };
  }
}

describe('video-system API keys', () => {
  let db: TestSchema;
  let app: DataSource;
  let store: ApiKeyStore;
  let nest: INestApplication;
  let issuer: LocalIssuer;
  let http: ReturnType<typeof request>;

  beforeAll(async () => {
    db = await createTestSchema('apikeys', async (q, schema, role) => {
      await createApiKeyTable(q, schema);
      await createApplicationRole(q, role, schema);
    });
    app = await db.app();
    store = new ApiKeyStore(app);
    issuer = await LocalIssuer.open({
      directory: join(mkdtempSync(join(tmpdir(), 'safecity-keys-')), 'issuer'),
    });
    @Module({
      imports: [
        SecurityModule.forRoot({
          verifier: issuer.verifier(),
          apiKeys: { store, cacheTtlMs: CACHE_TTL_MS, rateLimit: { capacity: 3, refillPerSecond: 0.5 } },
        }),
      ],
      controllers: [IngestController],
    })
    class AppModule {}
    nest = await NestFactory.create(AppModule, { logger: false });
    await nest.init();
    http = request(nest.getHttpServer());
  });

  afterAll(async () => {
    await nest?.close();
    await db.close();
  });

  const ingest = (key?: string, header: 'x-api-key' | 'authorization' = 'x-api-key') => {
    const req = http.post('/ingest/events').send({});
    if (key === undefined) return req;
    return req.set(header, header === 'authorization' ? `ApiKey ${key}` : key);
  };
  const issue = (videoSystemId = 'vs-ala-1', regionCode = 'ALA', expiresAt?: Date) =>
    store.issue({ videoSystemId, regionCode, label: 'Sergek NVR', expiresAt });

  it('shows the secret once: only its hash is stored, and listings never carry it', async () => {
    const issued = await issue();
    expect(issued.apiKey).toMatch(/^sck_[a-z2-7]{12}_[A-Za-z0-9_-]{43}$/);
    const secret = issued.apiKey.split('_').slice(2).join('_');
    const stored = JSON.stringify(
      await db.admin.query('SELECT *, encode(secret_sha256, $1) AS hex FROM api_keys', ['escape']),
    );
    expect(stored).not.toContain(secret);
    const listed = await store.list('vs-ala-1');
    expect(listed[0]).toMatchObject({
      keyId: issued.keyId,
      regionCode: 'ALA',
      label: 'Sergek NVR',
      active: true,
    });
    expect(JSON.stringify(listed)).not.toContain(secret);
    expect(Object.keys(listed[0]!)).not.toContain('apiKey');
  });

  it('authenticates a video system by X-Api-Key or Authorization: ApiKey, bound to its region', async () => {
    const { apiKey, keyId } = await issue('vs-ast-1', 'AST');
    const expected = { kind: 'video-system', subject: 'vs-ast-1', roles: [], regions: ['AST'], keyId };
    expect((await ingest(apiKey).expect(202)).body.principal).toEqual(expected);
    expect((await ingest(apiKey, 'authorization').expect(202)).body.principal).toEqual(expected);
  });

  it('refuses a wrong secret, a malformed or missing key, and a bearer token (API2:2023)', async () => {
    const { apiKey } = await issue();
    const wrongSecret = apiKey.slice(0, -4) + (apiKey.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    for (const key of [wrongSecret, 'sck_nope', apiKey.replace('sck_', 'sk_'), `${apiKey}x`]) {
      const response = await ingest(key).expect(401);
      expect(response.headers['www-authenticate']).toMatch(/^ApiKey/);
      expect(JSON.stringify(response.body)).not.toContain(key);
    }
    await ingest().expect(401);
    const other = await issue();
    await http
      .post('/ingest/events')
      .set('x-api-key', apiKey)
      .set('authorization', `ApiKey ${other.apiKey}`)
      .expect(401);
    const bearer = await issuer.issue({ subject: 'alice', roles: ['admin'], regions: 'all' });
    await http.post('/ingest/events').set('authorization', `Bearer ${bearer}`).expect(401);
    // ...and a key is no bearer token on the rest of the API.
    await http.get('/cameras').set('x-api-key', apiKey).expect(401);
    await http.get('/cameras').set('authorization', `Bearer ${apiKey}`).expect(401);
  });

  it('refuses an expired key', async () => {
    const { apiKey } = await issue('vs-ala-2', 'ALA', new Date(Date.now() - 1000));
    await ingest(apiKey).expect(401);
  });

  it('keeps the old key working through the rotation overlap, then only the new one', async () => {
    const old = await issue('vs-rot', 'ALA');
    await ingest(old.apiKey).expect(202);
    const { replacement, previousExpiresAt } = await store.rotate(old.keyId, { overlap: { seconds: 1 } });
    expect(replacement.videoSystemId).toBe('vs-rot');
    expect(replacement.regionCode).toBe('ALA');
    expect(previousExpiresAt.getTime()).toBeLessThanOrEqual(Date.now() + 1500);
    await ingest(old.apiKey).expect(202);
    await ingest(replacement.apiKey).expect(202);
    await eventually(async () => (await ingest(old.apiKey)).status === 401, {
      timeoutMs: 1000 + CACHE_TTL_MS + 1000,
    });
    await ingest(replacement.apiKey).expect(202);
    expect((await store.get(old.keyId))?.rotatedTo).toBe(replacement.keyId);
    await expect(store.rotate(old.keyId)).rejects.toThrow(ApiKeyNotFoundError);
  });

  it('overlaps a rotation by 24 hours by default', async () => {
    const old = await issue('vs-rot-2', 'ALA');
    const { previousExpiresAt } = await store.rotate(old.keyId);
    const hours = (previousExpiresAt.getTime() - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(23.9);
    expect(hours).toBeLessThanOrEqual(24);
  });

  it('stops a key revoked on another instance within the cache TTL, and at once on this one', async () => {
    const elsewhere = new ApiKeyStore(app);
    const first = await issue('vs-rev', 'ALA');
    await ingest(first.apiKey).expect(202);
    expect(await elsewhere.revoke(first.keyId)).toBe(true);
    const revokedAt = Date.now();
    await eventually(async () => (await ingest(first.apiKey)).status === 401, {
      timeoutMs: CACHE_TTL_MS + 500,
      intervalMs: 20,
    });
    expect(Date.now() - revokedAt).toBeLessThan(CACHE_TTL_MS + 500);

    const second = await issue('vs-rev', 'ALA');
    await ingest(second.apiKey).expect(202);
    await store.revoke(second.keyId);
    await ingest(second.apiKey).expect(401);
    expect(await store.revoke(second.keyId)).toBe(false);

    const third = await issue('vs-rev', 'ALA');
    expect(await store.revokeAllFor('vs-rev')).toEqual([third.keyId]);
    await ingest(third.apiKey).expect(401);
  });

  it('answers 429 with Retry-After once a key exceeds its rate, without touching other keys (API4:2023)', async () => {
    const noisy = await issue('vs-noisy', 'ALA');
    const quiet = await issue('vs-quiet', 'ALA');
    for (let i = 0; i < 3; i++) await ingest(noisy.apiKey).expect(202);
    const limited = await ingest(noisy.apiKey).expect(429);
    expect(limited.headers['retry-after']).toBe('2');
    expect(limited.body).toMatchObject({ statusCode: 429, message: 'rate limit of this API key exceeded' });
    await ingest(quiet.apiKey).expect(202);
  });

  it('refuses keys for unknown regions', async () => {
    await expect(store.issue({ videoSystemId: 'vs', regionCode: 'XXX' })).rejects.toThrow(RangeError);
  });
});
