/**
 * camera-registry against the OWASP API Security Top 10 (2023), where it applies: broken object
 * level authorization (API1), broken authentication (API2), broken object property level
 * authorization / mass assignment (API3), unrestricted resource consumption (API4), broken function
 * level authorization (API5) — plus the accountability of the audit log.
 */
import { credentials, loadPackageDefinition, Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CameraRegistryGrpc, grpcOptions } from '@safecity/contracts';
import { InProcessBus } from '@safecity/messaging';
import { freeLoopbackPort } from '@safecity/persistence';
import { verifyAuditChain } from '@safecity/security';
import type { RunningServiceApp } from '@safecity/service-kit';
import { createTestDatabase, createTestIdentity, type TestIdentity } from '@safecity/testing';
import { importJWK, SignJWT, type JWK } from 'jose';
import { Client } from 'pg';
import request from 'supertest';
import { startCameraRegistry } from '../src/bootstrap';

type Agent = ReturnType<typeof request.agent>;
const UNKNOWN = '99999999-9999-4999-8999-999999999999';

describe('camera-registry security (OWASP API Top 10)', () => {
  let db: { url: string; drop(): Promise<void> };
  let ids: TestIdentity;
  let service: RunningServiceApp;
  let rlsOnly: RunningServiceApp;
  let grpcUrl: string;
  let rlsOnlyGrpcUrl: string;
  const world: Record<'ALA' | 'AST', { system: string; camera: string; center: string; keyId: string }> =
    {} as never;

  const as = (app: RunningServiceApp, bearer: string): Agent =>
    request.agent(app.httpUrl).set('authorization', bearer);

  beforeAll(async () => {
    db = await createTestDatabase('security');
    ids = await createTestIdentity();
    const bus = new InProcessBus();
    grpcUrl = `127.0.0.1:${await freeLoopbackPort()}`;
    service = await startCameraRegistry({
      databaseUrl: db.url,
      transport: { kind: 'in-process', bus },
      http: { port: 0 },
      grpcUrl,
      identity: ids.identity,
      runMigrations: true,
    });
    // The same service with the region filter taken out of its queries: only row-level security
    // stands between a caller and other regions' rows.
    rlsOnlyGrpcUrl = `127.0.0.1:${await freeLoopbackPort()}`;
    rlsOnly = await startCameraRegistry({
      databaseUrl: db.url,
      transport: { kind: 'in-process', bus },
      http: { port: 0 },
      grpcUrl: rlsOnlyGrpcUrl,
      identity: ids.identity,
      runMigrations: false,
      regionFilterInQueries: false,
    });
    const admin = as(service, await ids.bearer('admin'));
    const places = { ALA: { lat: 43.25, lon: 76.93 }, AST: { lat: 51.13, lon: 71.43 } };
    for (const region of ['ALA', 'AST'] as const) {
      const system = (
        await admin
          .post('/video-systems')
          .send({
            regionCode: region,
            name: `${region} VMS`,
            vendor: 'other',
            ingestionMethod: 'canonical-push',
          })
          .expect(201)
      ).body.id;
      const camera = (
        await admin
          .post('/cameras')
          .send({
            videoSystemId: system,
            externalId: 'c1',
            name: 'cam',
            location: places[region],
            capabilities: [],
          })
          .expect(201)
      ).body.id;
      const center = (
        await admin
          .post('/operations-centers')
          .send({ name: `${region} OC`, regionCode: region })
          .expect(201)
      ).body.id;
      const keyId = (await admin.post(`/video-systems/${system}/api-keys`).send({}).expect(201)).body.keyId;
      world[region] = { system, camera, center, keyId };
    }
  }, 60_000);

  afterAll(async () => {
    await rlsOnly?.close();
    await service?.close();
    await db?.drop();
  });

  /** Every endpoint that takes an object id, as a region-A caller would try it on region B's objects. */
  const objectEndpoints = (b: (typeof world)['AST']) =>
    [
      ['GET', `/cameras/${b.camera}`, undefined],
      [
        'PATCH',
        `/cameras/${b.camera}`,
        { name: 'x', location: { lat: 51.13, lon: 71.43 }, capabilities: [] },
      ],
      ['POST', `/cameras/${b.camera}/decommission`, undefined],
      ['GET', `/video-systems/${b.system}`, undefined],
      ['GET', `/video-systems/${b.system}/api-keys`, undefined],
      ['POST', `/video-systems/${b.system}/api-keys`, {}],
      ['POST', `/video-systems/${b.system}/api-keys/${b.keyId}/rotate`, {}],
      ['DELETE', `/video-systems/${b.system}/api-keys/${b.keyId}`, undefined],
      ['GET', `/operations-centers/${b.center}`, undefined],
      ['GET', `/cameras/${b.camera}/health`, undefined],
      ['GET', `/cameras/${b.camera}/uptime`, undefined],
      ['PUT', `/cameras/${b.camera}/health-settings`, { expectedIntervalSeconds: 30 }],
      ['GET', `/video-systems/${b.system}/health`, undefined],
      ['PUT', `/video-systems/${b.system}/health-settings`, { heartbeatIntervalSeconds: 30 }],
      ['GET', `/cameras/${b.camera}/media-source`, undefined],
      [
        'PUT',
        `/cameras/${b.camera}/media-source`,
        { snapshotUrl: 'http://10.0.0.1/snapshot', features: ['objects'] },
      ],
      ['DELETE', `/cameras/${b.camera}/media-source`, undefined],
      [
        'POST',
        `/video-systems/${b.system}/cameras/import`,
        [{ externalId: 'x', name: 'x', location: { lat: 51.13, lon: 71.43 } }],
      ],
    ] as const;

  const send = (agent: Agent, method: string, path: string, body?: object) => {
    const r =
      method === 'GET'
        ? agent.get(path)
        : method === 'DELETE'
          ? agent.delete(path)
          : method === 'PATCH'
            ? agent.patch(path)
            : method === 'PUT'
              ? agent.put(path)
              : agent.post(path);
    return body ? r.send(body) : r;
  };

  describe.each([
    ['with the query filter', () => service],
    ['with row-level security alone (query filter removed)', () => rlsOnly],
  ])('API1 object-level authorization %s', (_name, app) => {
    it('answers 404 for every region-B object id on every endpoint, to a region-A administrator', async () => {
      const alaAdmin = as(app(), await ids.bearer('region-admin', ['ALA']));
      for (const [method, path, body] of objectEndpoints(world.AST)) {
        const res = await send(alaAdmin, method, path, body);
        expect({ method, path, status: res.status }).toEqual({ method, path, status: 404 });
      }
    });

    it('answers 404 for every region-B object id on every endpoint an operator may call, to a region-A operator', async () => {
      const operator = as(app(), await ids.bearer('operator', ['ALA']));
      // API keys and media sources are for administrators only.
      const readable = objectEndpoints(world.AST).filter(
        ([method, path]) =>
          method === 'GET' && !path.endsWith('/api-keys') && !path.endsWith('/media-source'),
      );
      expect(readable.length).toBeGreaterThanOrEqual(6);
      for (const [method, path] of readable) {
        const res = await send(operator, method, path);
        expect({ method, path, status: res.status }).toEqual({ method, path, status: 404 });
      }
      // The same paths for region A's own objects answer, so the 404s above are region scope at work.
      for (const [method, path] of objectEndpoints(world.ALA).filter(
        ([m, p]) => m === 'GET' && !p.endsWith('/api-keys') && !p.endsWith('/media-source'),
      )) {
        expect({ path, status: (await send(operator, method, path)).status }).toEqual({ path, status: 200 });
      }
    });

    it('answers region B objects like objects that do not exist, and lists only region A', async () => {
      const operator = as(app(), await ids.bearer('operator', ['ALA']));
      const missing = await operator.get(`/cameras/${UNKNOWN}`);
      const hidden = await operator.get(`/cameras/${world.AST.camera}`);
      expect(hidden.status).toBe(missing.status);
      expect(hidden.body.message.replace(world.AST.camera, 'ID')).toBe(
        missing.body.message.replace(UNKNOWN, 'ID'),
      );
      const cameras = (await operator.get('/cameras').query({ limit: 500 }).expect(200)).body.items;
      expect(cameras.map((c: { regionCode: string }) => c.regionCode)).toEqual(['ALA']);
      expect((await operator.get('/cameras').query({ regionCode: 'AST' }).expect(200)).body.items).toEqual(
        [],
      );
      const systems = (await operator.get('/video-systems').expect(200)).body;
      expect(systems.map((s: { regionCode: string }) => s.regionCode)).toEqual(['ALA']);
      const centers = (await operator.get('/operations-centers').expect(200)).body;
      expect(centers.map((c: { regionCode: string }) => c.regionCode)).toEqual(['ALA']);
    });

    it('does not let a video system’s API key report heartbeats for another system', async () => {
      const admin = as(app(), await ids.bearer('admin'));
      const alaKey = (await admin.post(`/video-systems/${world.ALA.system}/api-keys`).send({}).expect(201))
        .body.apiKey;
      const withKey = request.agent(app().httpUrl).set('x-api-key', alaKey);
      await withKey
        .post(`/video-systems/${world.ALA.system}/heartbeats`)
        .send({ cameras: [{ externalId: 'c1' }] })
        .expect(200);
      await withKey
        .post(`/video-systems/${world.AST.system}/heartbeats`)
        .send({ cameras: [{ externalId: 'c1' }] })
        .expect(404);
      await withKey.post(`/cameras/${world.AST.camera}/heartbeats`).send({}).expect(404);
      await request(app().httpUrl)
        .post(`/video-systems/${world.ALA.system}/heartbeats`)
        .set('x-api-key', 'sck_forged_x')
        .send({})
        .expect(401);
    });

    it('refuses to register a camera on a region-B video system as if it did not exist', async () => {
      const alaAdmin = as(app(), await ids.bearer('region-admin', ['ALA']));
      const res = await alaAdmin
        .post('/cameras')
        .send({
          videoSystemId: world.AST.system,
          externalId: 'x',
          name: 'x',
          location: { lat: 51.13, lon: 71.43 },
          capabilities: [],
        })
        .expect(422);
      expect(res.body.problems[0]).toEqual({
        field: 'videoSystemId',
        reason: `unknown video system ${world.AST.system}`,
      });
    });

    it('answers NOT_FOUND over gRPC for another region’s camera', async () => {
      const url = app() === service ? grpcUrl : rlsOnlyGrpcUrl;
      const token = await ids.token('operator', ['ALA']);
      await expect(grpcCall(url, token, 'getCamera', { id: world.AST.camera })).rejects.toMatchObject({
        code: status.NOT_FOUND,
      });
      await expect(
        grpcCall(url, token, 'resolveExternalCamera', { videoSystemId: world.AST.system, externalId: 'c1' }),
      ).rejects.toMatchObject({ code: status.NOT_FOUND });
      const own = await grpcCall<{ camera: { id: string } }>(url, token, 'getCamera', {
        id: world.ALA.camera,
      });
      expect(own.camera.id).toBe(world.ALA.camera);
      const batch = await grpcCall<{ cameras: unknown[]; missingIds: string[] }>(
        url,
        token,
        'batchGetCameras',
        {
          ids: [world.ALA.camera, world.AST.camera],
        },
      );
      expect(batch.missingIds).toEqual([world.AST.camera]);
    });
  });

  describe('API2 authentication', () => {
    let privateJwk: JWK;
    const now = () => Math.floor(Date.now() / 1000);
    const sign = async (
      claims: Record<string, unknown>,
      header: Record<string, unknown> = {},
      jwk = privateJwk,
    ) =>
      new SignJWT({ roles: ['admin'], regions: ['*'], ...claims })
        .setProtectedHeader({ alg: 'ES256', kid: jwk.kid, typ: 'JWT', ...header })
        .sign(await importJWK(jwk, 'ES256'));

    beforeAll(() => {
      privateJwk = JSON.parse(readFileSync(join(ids.directory, 'issuer-key.json'), 'utf8')).privateJwk;
      privateJwk.kid ??= ids.issuer.keyId;
    });

    const valid = () => ({
      iss: ids.issuer.issuer,
      aud: 'safecity',
      sub: 'mallory',
      iat: now(),
      exp: now() + 600,
    });
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');

    it.each<[string, () => Promise<string>]>([
      ['no token', async () => ''],
      ['an expired token', () => sign({ ...valid(), exp: now() - 3600, iat: now() - 7200 })],
      ['a not-yet-valid token', () => sign({ ...valid(), nbf: now() + 3600 })],
      ['a wrong issuer', () => sign({ ...valid(), iss: 'https://evil.example/realms/safecity' })],
      ['a wrong audience', () => sign({ ...valid(), aud: 'another-api' })],
      ['alg: none', async () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64(valid())}.`],
      [
        'a tampered signature',
        async () => {
          const [h, , sig] = (await sign(valid())).split('.');
          return `${h}.${b64({ ...valid(), roles: ['admin'], sub: 'someone-else' })}.${sig}`;
        },
      ],
      [
        'an unknown key',
        async () => {
          const { generateKeyPair, exportJWK } = await import('jose');
          const { privateKey } = await generateKeyPair('ES256', { extractable: true });
          return sign(valid(), { kid: 'not-ours' }, { ...(await exportJWK(privateKey)), kid: 'not-ours' });
        },
      ],
    ])('answers 401 to %s, on REST and over gRPC', async (_name, make) => {
      const token = await make();
      const res = await request(service.httpUrl)
        .get('/cameras')
        .set('authorization', token ? `Bearer ${token}` : '');
      expect(res.status).toBe(401);
      expect(JSON.stringify(res.body)).not.toContain(token || 'never-empty');
      await expect(grpcCall(grpcUrl, token, 'getCamera', { id: world.ALA.camera })).rejects.toMatchObject({
        code: status.UNAUTHENTICATED,
      });
    });

    it('accepts a token it signed, and lets health and metrics through without one', async () => {
      await request(service.httpUrl)
        .get('/cameras')
        .set('authorization', `Bearer ${await sign(valid())}`)
        .expect(200);
      await request(service.httpUrl).get('/health/live').expect(200);
      await request(service.httpUrl).get('/metrics').expect(200);
    });
  });

  describe('API3 object property level authorization', () => {
    it.each([
      [
        '/video-systems',
        {
          regionCode: 'ALA',
          name: 'x',
          vendor: 'other',
          ingestionMethod: 'canonical-push',
          status: 'active',
        },
        'status',
      ],
      [
        '/video-systems',
        { regionCode: 'ALA', name: 'x', vendor: 'other', ingestionMethod: 'canonical-push', id: UNKNOWN },
        'id',
      ],
      ['/operations-centers', { name: 'x', regionCode: 'ALA', createdAt: '2020-01-01' }, 'createdAt'],
    ])('refuses unknown or read-only fields on POST %s with 400', async (path, body, field) => {
      const res = await as(service, await ids.bearer('admin'))
        .post(path)
        .send(body)
        .expect(400);
      expect(res.body.problems.map((p: { field: string }) => p.field)).toContain(field);
    });

    it('never shows an API key secret after issuing it', async () => {
      const admin = as(service, await ids.bearer('admin'));
      const issued = (
        await admin.post(`/video-systems/${world.ALA.system}/api-keys`).send({ label: 'x' }).expect(201)
      ).body;
      expect(issued.apiKey).toMatch(/^sck_/);
      const listed = (await admin.get(`/video-systems/${world.ALA.system}/api-keys`).expect(200)).body;
      // The secret may itself contain '_': it is everything after `sck_<key id>_`.
      const secret = issued.apiKey.slice(`sck_${issued.keyId}_`.length);
      expect(secret.length).toBeGreaterThanOrEqual(32);
      expect(JSON.stringify(listed)).not.toContain(secret);
      expect(listed.every((k: Record<string, unknown>) => !('apiKey' in k) && !('hash' in k))).toBe(true);
    });
  });

  describe('API4 resource consumption', () => {
    it('caps page sizes and body sizes', async () => {
      const admin = as(service, await ids.bearer('admin'));
      const res = await admin.get('/cameras').query({ limit: 501 }).expect(400);
      expect(res.body.problems[0].field).toBe('limit');
      await admin
        .post('/video-systems')
        .set('content-type', 'application/json')
        .send(JSON.stringify({ regionCode: 'ALA', name: 'x'.repeat(2 * 1024 * 1024) }))
        .expect(413);
    });
  });

  describe('API5 function-level authorization', () => {
    it.each([
      ['operator', 'POST', '/video-systems'],
      ['analyst', 'POST', '/operations-centers'],
      ['auditor', 'GET', '/cameras'],
      ['social-worker', 'GET', '/video-systems'],
      ['operator', 'GET', '/audit-log'],
    ])('answers 403 when a %s calls %s %s', async (role, method, path) => {
      const agent = as(service, await ids.bearer(role as never, ['ALA']));
      const res = await send(agent, method, path, method === 'POST' ? {} : undefined);
      expect(res.status).toBe(403);
    });
  });

  describe('audit log', () => {
    it('records who changed what, lets auditors query it, and its chain verifies', async () => {
      const auditor = as(service, await ids.bearer('auditor'));
      const page = (
        await auditor
          .get('/audit-log')
          .query({ objectType: 'camera', objectId: world.AST.camera })
          .expect(200)
      ).body;
      expect(page.items[0]).toMatchObject({
        action: 'create',
        objectType: 'camera',
        objectId: world.AST.camera,
        regionCode: 'AST',
      });
      expect(page.items[0].actorSubject).toBe('test-user');
      const alaAuditor = as(service, await ids.bearer('auditor', ['ALA']));
      const hidden = (await alaAuditor.get('/audit-log').query({ objectId: world.AST.camera }).expect(200))
        .body;
      expect(hidden.items).toEqual([]);
      expect(await verifyAuditChain(db.url, 'camera_registry')).toMatchObject({ ok: true });
    });

    it.each([
      ['an edited record', `UPDATE camera_registry.audit_log SET object_id = 'forged' WHERE seq = 2`],
      ['a removed record', `DELETE FROM camera_registry.audit_log WHERE seq = 3`],
      [
        'reordered records',
        `UPDATE camera_registry.audit_log SET seq = 1000000 WHERE seq = 2;
         UPDATE camera_registry.audit_log SET seq = 2 WHERE seq = 3;
         UPDATE camera_registry.audit_log SET seq = 3 WHERE seq = 1000000;`,
      ],
    ])('detects %s', async (_name, tamper) => {
      const pg = new Client({ connectionString: db.url });
      await pg.connect();
      const { rows } = await pg.query('SELECT * FROM camera_registry.audit_log ORDER BY seq');
      expect(rows.length).toBeGreaterThan(4);
      // The append-only trigger stops even a superuser until it is switched off, as an attacker
      // with full database access would do; each case then puts the intact log back.
      await pg.query('ALTER TABLE camera_registry.audit_log DISABLE TRIGGER USER');
      try {
        expect(await verifyAuditChain(db.url, 'camera_registry')).toMatchObject({ ok: true });
        await pg.query(tamper);
        const result = await verifyAuditChain(db.url, 'camera_registry');
        expect(result.ok).toBe(false);
        expect(result.firstBrokenSeq).toBeLessThanOrEqual(3);
      } finally {
        await pg.query('DELETE FROM camera_registry.audit_log');
        const columns = Object.keys(rows[0]);
        for (const row of rows) {
          await pg.query(
            `INSERT INTO camera_registry.audit_log (${columns.join(', ')})
             VALUES (${columns.map((_, n) => `$${n + 1}`).join(', ')})`,
            columns.map((c) => (c === 'details' ? JSON.stringify(row[c]) : row[c])),
          );
        }
        await pg.query('ALTER TABLE camera_registry.audit_log ENABLE TRIGGER USER');
        await pg.end();
      }
      expect(await verifyAuditChain(db.url, 'camera_registry')).toMatchObject({ ok: true });
    });

    it('lets the service only append: its own role cannot edit or delete records', async () => {
      const pg = new Client({ connectionString: db.url });
      await pg.connect();
      try {
        await pg.query('SET ROLE camera_registry_app');
        await expect(pg.query(`UPDATE camera_registry.audit_log SET object_id = 'x'`)).rejects.toThrow(
          /permission denied/,
        );
        await expect(pg.query('DELETE FROM camera_registry.audit_log')).rejects.toThrow(/permission denied/);
      } finally {
        await pg.end();
      }
    });
  });
});

function grpcCall<T = unknown>(url: string, token: string, method: string, req: unknown): Promise<T> {
  const options = grpcOptions(CameraRegistryGrpc);
  const pkg = loadPackageDefinition(loadSync(options.protoPath, options.loader)) as any;
  const client = new pkg.safecity.cameras.v1.CameraRegistry(url, credentials.createInsecure());
  const metadata = new Metadata();
  if (token) metadata.set('authorization', `Bearer ${token}`);
  return new Promise<T>((resolve, reject) =>
    client[method](req, metadata, (err: ServiceError | null, res: T) => {
      client.close();
      if (err) reject(err);
      else resolve(res);
    }),
  );
}
