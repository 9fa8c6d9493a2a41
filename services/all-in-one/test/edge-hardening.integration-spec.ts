import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { grpcOptions, incidents as contract, IncidentsGrpc } from '@safecity/contracts';
import { freeLoopbackPort } from '@safecity/persistence';
import { LocalIssuer, type Role } from '@safecity/security';
import { createTestDatabase, eventually } from '@safecity/testing';
import { importJWK, SignJWT, type JWK } from 'jose';
import { Client } from 'pg';
import request from 'supertest';

const ROOT = resolve(__dirname, '../../..');

/**
 * The embedded default as `npm start` runs it, in its own process with its own data directory and
 * LOG_LEVEL=info, so that what it logs can be read: the platform as an outside client and an
 * attacker meet it (issue: "Hardening: what an outside client and a penetration test found").
 */
class PlatformProcess {
  output = '';
  urls: Record<string, string> = {};
  grpc: Record<string, string> = {};
  tryCommand = '';
  private child?: ChildProcess;

  async start(env: Record<string, string>): Promise<void> {
    const child = spawn(
      process.execPath,
      ['--max-semi-space-size=64', '-r', '@swc-node/register', 'services/all-in-one/src/main.ts'],
      {
        cwd: ROOT,
        env: { ...process.env, NODE_ENV: 'production', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    this.child = child;
    child.stdout!.on('data', (chunk: Buffer) => (this.output += chunk.toString('utf8')));
    child.stderr!.on('data', (chunk: Buffer) => (this.output += chunk.toString('utf8')));
    await eventually(
      () => {
        if (child.exitCode !== null) throw new Error(`the platform exited:\n${this.output.slice(-4000)}`);
        return /demo data/.test(this.output) && /curl -N/.test(this.output) ? true : null;
      },
      { timeoutMs: 180_000, intervalMs: 250, message: 'the platform’s start banner' },
    );
    for (const match of this.output.matchAll(
      /^ {2}(camera-registry|recognition|incidents|prevention)\s+(http:\S+)/gm,
    )) {
      this.urls[match[1]] = match[2];
    }
    for (const match of this.output.matchAll(
      /^ {2}(camera-registry|recognition|incidents|prevention) gRPC\s+(\S+)/gm,
    )) {
      this.grpc[match[1]] = match[2];
    }
    this.tryCommand = /try\s+TOKEN=\$\((.*)\)\s*$/m.exec(this.output)?.[1] ?? '';
  }

  /** What the platform logged from `mark` on. */
  since(mark: number): string {
    return this.output.slice(mark);
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((done) => child.once('exit', done));
    child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([exited, new Promise((done) => (timer = setTimeout(done, 20_000)))]);
    clearTimeout(timer);
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}

describe('the platform at its edge, as an outside client and an attacker meet it', () => {
  const platform = new PlatformProcess();
  const dataDir = mkdtempSync(join(tmpdir(), 'safecity-edge-'));
  let db: { url: string; drop(): Promise<void> };
  let issuer: LocalIssuer;
  let pg: Client;

  const bearer = async (roles: Role[], regions: string[] | 'all' = 'all', subject = `edge-${randomUUID()}`) =>
    `Bearer ${await issuer.issue({ subject, roles, regions })}`;
  const api = (service: string) => request(platform.urls[service]);

  beforeAll(async () => {
    db = await createTestDatabase('edge');
    await platform.start({
      DATA_DIR: dataDir,
      DATABASE_URL: db.url,
      CAMERA_REGISTRY_HTTP_PORT: '0',
      RECOGNITION_HTTP_PORT: '0',
      INCIDENTS_HTTP_PORT: '0',
      PREVENTION_HTTP_PORT: '0',
      CAMERA_REGISTRY_GRPC_PORT: String(await freeLoopbackPort()),
      RECOGNITION_GRPC_PORT: String(await freeLoopbackPort()),
      INCIDENTS_GRPC_PORT: String(await freeLoopbackPort()),
      PREVENTION_GRPC_PORT: String(await freeLoopbackPort()),
      SEED_DEMO: 'false',
      DEMO_DETECTIONS_PER_SECOND: '0',
      LOG_LEVEL: 'info',
    });
    issuer = await LocalIssuer.open({ directory: join(dataDir, 'issuer') });
    pg = new Client({ connectionString: db.url });
    await pg.connect();
  }, 240_000);

  afterAll(async () => {
    await pg?.end().catch(() => undefined);
    await platform.stop();
    await db?.drop();
  }, 60_000);

  describe('npm run token and the start banner (DATA_DIR)', () => {
    it('prints a try line whose token the platform started with another DATA_DIR accepts', async () => {
      expect(platform.tryCommand).toContain(`DATA_DIR=${dataDir}`);
      const env = { ...process.env };
      delete env.DATA_DIR;
      delete env.SAFECITY_ISSUER_DIR;
      const token = await new Promise<string>((done, fail) =>
        execFile('sh', ['-c', platform.tryCommand], { cwd: ROOT, env, timeout: 60_000 }, (error, stdout) =>
          error ? fail(error) : done(stdout.trim()),
        ),
      );
      await api('camera-registry')
        .get('/cameras?limit=5')
        .set('authorization', `Bearer ${token}`)
        .expect(200);
    });
  });

  describe('a NUL character (\\u0000) in any string: 400 naming the field, in every service', () => {
    it.each([
      [
        'prevention',
        'post',
        '/cases',
        'subject.notes',
        ['prevention-officer'],
        () => ({
          regionCode: 'ALA',
          subject: { kind: 'person', name: 'Айгерим Нурланова', notes: 'a\u0000b' },
          category: 'juvenile',
          legalBasis: 'Law on Prevention of Offences, art. 21',
          ownerAgency: 'police',
          responsibleOfficer: 'officer-1',
        }),
      ],
      [
        'camera-registry',
        'post',
        '/video-systems',
        'name',
        ['admin'],
        () => ({
          regionCode: 'ALA',
          name: 'VMS\u0000',
          vendor: 'dahua',
          ingestionMethod: 'onvif-events',
        }),
      ],
      [
        'recognition',
        'post',
        '/watchlists',
        'name',
        ['admin'],
        () => ({
          kind: 'plate',
          name: 'Stolen\u0000',
          regionCode: 'ALA',
          legalBasis: 'Order 1',
          owner: 'ALA police',
        }),
      ],
      [
        'incidents',
        'post',
        '/incidents',
        'title',
        ['operator'],
        () => ({
          category: 'theft',
          regionCode: 'ALA',
          title: 'Theft\u0000',
          location: { lat: 43.25, lon: 76.92 },
        }),
      ],
    ] as const)('%s %s %s → %s', async (service, method, path, field, roles, body) => {
      const res = await api(service)
        [method](path)
        .set('authorization', await bearer([...roles] as Role[]))
        .send(body())
        .expect(400);
      expect(res.body.problems).toEqual([{ field, reason: expect.stringMatching(/NUL/) }]);
    });

    it.each([
      ['prevention', '/trigger-settings/AL%00A', 'regionCode'],
      ['camera-registry', '/regions/ALA%00/districts', 'code'],
      ['incidents', '/sops/fire%00', 'category'],
      ['camera-registry', '/cameras?q=ab%00cd', 'q'],
      ['camera-registry', '/operations-centers?regionCode=%00', 'regionCode'],
    ])('%s GET %s → 400 naming %s', async (service, path, field) => {
      const res = await api(service)
        .get(path)
        .set('authorization', await bearer(['admin']))
        .expect(400);
      expect(res.body.problems).toEqual([{ field, reason: expect.stringMatching(/NUL/) }]);
    });

    it('over gRPC: INVALID_ARGUMENT naming the field', async () => {
      const options = grpcOptions(IncidentsGrpc);
      const pkg = grpc.loadPackageDefinition(protoLoader.loadSync(options.protoPath, options.loader)) as any;
      const client = new pkg.safecity.incidents.v1.Incidents(
        platform.grpc['incidents'],
        grpc.credentials.createInsecure(),
      );
      const metadata = new grpc.Metadata();
      metadata.set('authorization', await bearer(['service'], 'all', 'zan-men-tartip'));
      const report = {
        channel: contract.CitizenReportChannel.CITIZEN_REPORT_CHANNEL_BANK_APP,
        channelReportId: randomUUID(),
        category: contract.IncidentCategory.INCIDENT_CATEGORY_TRAFFIC,
        description: 'Car crash\u0000at the crossroads',
        location: { lat: 43.24, lon: 76.95 },
        regionCode: 'ALA',
        reportedAt: new Date(),
      };
      const error = await new Promise<grpc.ServiceError | null>((done) =>
        client.submitCitizenReport({ report }, metadata, (err: grpc.ServiceError | null) => done(err)),
      );
      client.close();
      expect(error).toMatchObject({
        code: grpc.status.INVALID_ARGUMENT,
        details: expect.stringMatching(/^report\.description: .*NUL/),
      });
    });
  });

  describe('logs carry neither statement parameters, query strings nor personal data', () => {
    it('when the database refuses a person’s case, and a citizen’s report with a phone', async () => {
      const person = {
        name: 'Refused Nurlanova',
        identifier: '090417600987',
        birthDate: '2009-04-18',
        address: 'ул. Абая, д. 10, кв. 77',
        notes: 'lives with an aunt',
      };
      const phone = '+77019876543';
      // Sabotage the tables the way a failing database would refuse these rows, values in detail.
      await pg.query(
        `ALTER TABLE prevention.subjects ADD CONSTRAINT edge_probe CHECK (name <> '${person.name}') NOT VALID`,
      );
      await pg.query(
        `ALTER TABLE incidents.citizen_report_contacts ADD CONSTRAINT edge_probe CHECK (contact <> '${phone}') NOT VALID`,
      );
      const mark = platform.output.length;
      await api('prevention')
        .post('/cases')
        .set('authorization', await bearer(['prevention-officer'], ['ALA']))
        .send({
          regionCode: 'ALA',
          subject: { kind: 'person', ...person },
          category: 'juvenile',
          legalBasis: 'Law on Prevention of Offences, art. 21',
          ownerAgency: 'police',
          responsibleOfficer: 'officer-1',
        })
        .expect(500);
      await api('incidents')
        .post('/citizen-reports')
        .set('authorization', await bearer(['service'], ['ALA'], 'zan-men-tartip'))
        .send({
          channel: 'egov',
          channelReportId: randomUUID(),
          category: 'public-order',
          text: 'Neighbours fighting, call me back',
          location: { lat: 43.238, lon: 76.945 },
          address: 'Abay ave 52',
          regionCode: 'ALA',
          time: new Date().toISOString(),
          citizenId: 'citizen-edge-1',
          consentToContact: true,
          contact: phone,
        })
        .expect(500);
      await api('camera-registry')
        .get('/cameras?q=777ABC02&limit=5')
        .set('authorization', await bearer(['admin']))
        .expect(200);
      const logged = await eventually(() => {
        const text = platform.since(mark);
        return /edge_probe[\s\S]*edge_probe/.test(text) && /777ABC02|\/cameras/.test(text) ? text : null;
      });
      // The errors are there, by constraint and SQLSTATE, and nothing the rows held.
      expect(logged).toMatch(/"code":"23514"/);
      for (const value of [...Object.values(person), phone, 'call me back', 'Abay ave 52', '777ABC02']) {
        expect(logged).not.toContain(value);
      }
      expect(logged).not.toMatch(/"parameters"|"detail"|Failing row/);
    });
  });

  describe('a required field a DTO redeclares over an optional one: 400 naming it, not 500', () => {
    it.each([
      ['plates', 'expiresAt'],
      ['plates', 'reason'],
      ['subjects', 'legalBasis'],
    ])('POST /watchlists/:id/%s without %s', async (entries, field) => {
      const admin = await bearer(['admin']);
      const list = await api('recognition')
        .post('/watchlists')
        .set('authorization', admin)
        .send({
          kind: entries === 'plates' ? 'plate' : 'face',
          name: 'Edge checks',
          regionCode: 'ALA',
          legalBasis: 'Order 12/2026',
          owner: 'ALA police',
          ...(entries === 'plates' ? {} : { category: 'missing-person', threshold: 0.6 }),
        })
        .expect(201);
      const body: Record<string, unknown> =
        entries === 'plates'
          ? {
              plate: '555EDG02',
              reason: 'stolen-vehicle',
              priority: 2,
              legalBasis: 'Case 2026-2',
              owner: 'ALA police',
            }
          : {
              subjectRef: 'case-1/person-1',
              legalBasis: 'Court order 7',
              owner: 'ALA police',
              templates: [
                { model: 'arcface-r100@1.2', vector: Array.from({ length: 128 }, (_, i) => (i % 7) / 7) },
              ],
            };
      body['expiresAt'] = new Date(Date.now() + 86_400_000).toISOString();
      delete body[field];
      const res = await api('recognition')
        .post(`/watchlists/${list.body.id}/${entries}`)
        .set('authorization', admin)
        .send(body)
        .expect(400);
      expect(res.body.problems).toEqual(expect.arrayContaining([{ field, reason: expect.any(String) }]));
    });
  });

  describe('forged and truncated cursors: 400 naming the parameter, in every service', () => {
    const forged = Buffer.from(JSON.stringify({ id: 'x', createdAt: 'y', seq: 'z' })).toString('base64url');
    const issued = Buffer.from(JSON.stringify({ id: randomUUID() })).toString('base64url');
    it.each([
      ['camera-registry', '/cameras', ['admin']],
      ['recognition', '/watchlists', ['admin']],
      ['recognition', '/matches', ['operator']],
      ['incidents', '/incidents', ['operator']],
      ['prevention', '/cases', ['prevention-officer']],
      ['prevention', '/audit-log', ['auditor']],
    ] as const)('%s GET %s', async (service, path, roles) => {
      const auth = await bearer([...roles] as Role[]);
      for (const cursor of [forged, issued.slice(0, 17), `${issued}%00`]) {
        const res = await api(service).get(`${path}?cursor=${cursor}`).set('authorization', auth).expect(400);
        expect(res.body.problems).toEqual([{ field: 'cursor', reason: expect.any(String) }]);
      }
    });
  });

  describe('JSON nested 50,000 deep: 400 at once, in every service', () => {
    const deep = '{"a":'.repeat(50_000) + '1' + '}'.repeat(50_000);
    it.each([
      ['camera-registry', '/cameras', ['admin']],
      ['recognition', '/watchlists', ['admin']],
      ['incidents', '/citizen-reports', ['service']],
      ['prevention', '/cases', ['prevention-officer']],
    ] as const)('%s POST %s', async (service, path, roles) => {
      const res = await api(service)
        .post(path)
        .set('authorization', await bearer([...roles] as Role[]))
        .set('content-type', 'application/json')
        .send(deep)
        .expect(400);
      expect(res.body.problems).toEqual([{ field: 'body', reason: expect.stringMatching(/deeper than 32/) }]);
    });
  });

  describe('security headers on every answer of every service', () => {
    it.each(['camera-registry', 'recognition', 'incidents', 'prevention'])('%s', async (service) => {
      const admin = await bearer(['admin']);
      const answers = [
        await api(service).get('/health/ready'),
        await api(service).get('/metrics'),
        await api(service).get('/nowhere').set('authorization', admin),
        await api(service).get('/audit-log'),
        await api(service).post('/audit-log').set('content-type', 'application/json').send('{"a":'),
        await api(service).get('/docs-json'),
      ];
      for (const res of answers) {
        expect(res.headers).toMatchObject({
          'x-content-type-options': 'nosniff',
          'x-frame-options': 'DENY',
          'content-security-policy': expect.stringContaining("frame-ancestors 'none'"),
        });
        expect(res.headers['content-security-policy']).toMatch(/default-src 'none'/);
        expect(res.headers).not.toHaveProperty('x-powered-by');
      }
      expect(answers[0].status).toBe(200);
      expect(answers[2].status).toBe(404);
      expect(answers[3].status).toBe(401);
      const docs = await api(service).get('/docs');
      expect(docs.headers['content-security-policy']).toMatch(/script-src 'self'/);
      expect(docs.headers['content-security-policy']).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline/);
    });
  });

  describe('X-Purpose: one reading in every service', () => {
    it.each([
      ['recognition', '/matches', ['operator']],
      ['incidents', `/incidents/${randomUUID()}`, ['operator']],
      ['prevention', `/cases/${randomUUID()}`, ['prevention-officer']],
    ] as const)('%s refuses control characters in it (GET %s)', async (service, path, roles) => {
      const auth = await bearer([...roles] as Role[]);
      // Raw CR, LF and ESC never pass Node's HTTP parser; percent-encoded they reach the service.
      for (const purpose of ['review%0D%0Aactor%3Dadmin', 'review %1B[2J', encodeURIComponent('x\u202ey')]) {
        const res = await api(service)
          .get(path)
          .set('authorization', auth)
          .set('x-purpose', purpose)
          .expect(400);
        expect(res.body.problems).toEqual([{ field: 'x-purpose', reason: expect.any(String) }]);
      }
    });

    it('records raw and percent-encoded UTF-8 alike in the audit log (recognition, prevention)', async () => {
      const text = 'проверка по обращению №7';
      const raw = Buffer.from(text, 'utf8').toString('latin1');
      const admin = await bearer(['admin'], 'all', 'edge-admin');
      const list = await api('recognition')
        .post('/watchlists')
        .set('authorization', admin)
        .send({
          kind: 'plate',
          name: 'Stolen cars',
          regionCode: 'ALA',
          legalBasis: 'Order 12 of the Almaty police',
          owner: 'ALA police',
        })
        .expect(201);
      const entry = await api('recognition')
        .post(`/watchlists/${list.body.id}/plates`)
        .set('authorization', admin)
        .send({
          plate: '123ABC02',
          reason: 'stolen-vehicle',
          priority: 3,
          legalBasis: 'Case 2026-1',
          owner: 'ALA police',
          expiresAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
        })
        .expect(201);
      for (const purpose of [raw, encodeURIComponent(text)]) {
        await api('recognition')
          .get(`/plate-entries/${entry.body.id}`)
          .set('authorization', admin)
          .set('x-purpose', purpose)
          .expect(200);
      }
      const opened = await api('prevention')
        .post('/cases')
        .set('authorization', await bearer(['prevention-officer'], ['ALA']))
        .send({
          regionCode: 'ALA',
          subject: { kind: 'person', name: 'Айгерим Нурланова', birthDate: '2009-04-17' },
          category: 'juvenile',
          legalBasis: 'Law on Prevention of Offences, art. 21',
          ownerAgency: 'police',
          responsibleOfficer: 'officer-1',
        })
        .expect(201);
      const reader = await bearer(['prevention-officer'], ['ALA']);
      for (const purpose of [raw, encodeURIComponent(text)]) {
        await api('prevention')
          .get(`/cases/${opened.body.id}`)
          .set('authorization', reader)
          .set('x-purpose', purpose)
          .expect(200);
      }
      const auditor = await bearer(['auditor']);
      for (const [service, objectId] of [
        ['recognition', entry.body.id],
        // A person's case read is recorded against the person.
        ['prevention', opened.body.subject.id],
      ]) {
        const records = await api(service)
          .get(`/audit-log?objectId=${objectId}`)
          .set('authorization', auditor)
          .expect(200);
        const purposes = (records.body.items as { action: string; purpose: string | null }[])
          .filter((r) => r.action === 'read')
          .map((r) => r.purpose);
        expect(purposes).toEqual([text, text]);
      }
    });
  });

  describe('tokens', () => {
    it('refuses one issued 10 minutes in the future', async () => {
      const stored = JSON.parse(readFileSync(join(dataDir, 'issuer', 'issuer-key.json'), 'utf8')) as {
        privateJwk: JWK;
      };
      const key = await importJWK(stored.privateJwk, 'ES256');
      const now = Math.floor(Date.now() / 1000);
      const token = await new SignJWT({ roles: ['admin'], regions: ['*'] })
        .setProtectedHeader({ alg: 'ES256', kid: issuer.keyId, typ: 'JWT' })
        .setIssuer('http://localhost/safecity/local-issuer')
        .setSubject('time-traveller')
        .setAudience('safecity')
        .setIssuedAt(now + 600)
        .setExpirationTime(now + 3600)
        .sign(key);
      const res = await api('camera-registry')
        .get('/cameras')
        .set('authorization', `Bearer ${token}`)
        .expect(401);
      expect(res.body.message).toMatch(/issued in the future/);
    });
  });
});
