import 'reflect-metadata';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import request from 'supertest';
import type { DataSource, EntityManager } from 'typeorm';
import { AuditAction, AuditRecorded, common, EventTypes, Topics } from '@safecity/contracts';
import { createMessagingTables, Outbox } from '@safecity/messaging';
import { UnitOfWork } from '@safecity/persistence';
import { createValidationPipe } from '@safecity/service-kit';
import {
  auditRecordHash,
  AuditEntryError,
  AuditLog,
  AuditQueryService,
  createApplicationRole,
  createAuditLogController,
  createAuditTable,
  fromAuditRow,
  GENESIS_HASH,
  LocalIssuer,
  SecurityModule,
  verifyAuditChain,
  type AuditEntry,
  type AuditRow,
  type Principal,
} from '../src';
import { main as verifyCli } from '../src/audit/verify-cli';
import { createTestSchema, type TestSchema } from './support';

const operator: Principal = { kind: 'user', subject: 'alice', roles: ['operator'], regions: ['ALA'] };

function entry(overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    actor: operator,
    action: 'create',
    objectType: 'camera',
    objectId: 'cam-1',
    regionCode: 'ALA',
    details: { field: 'name' },
    ...overrides,
  };
}

describe('audit log', () => {
  let db: TestSchema;
  let app: DataSource;

  beforeAll(async () => {
    db = await createTestSchema('audit', async (q, schema, role) => {
      await createMessagingTables(q, schema);
      await createApplicationRole(q, role, schema);
      await createAuditTable(q, schema, role);
      // The other order, in a second schema: the table exists before the role's blanket grants.
      await q.query('CREATE SCHEMA other');
      await createAuditTable(q, 'other', role);
      await createApplicationRole(q, role, 'other');
    });
    app = await db.app();
  });
  afterAll(() => db.close());

  /** A fresh chain in its own schema, so each tamper test starts clean. */
  let chains = 0;
  async function freshChain(records: number): Promise<{ schema: string; log: AuditLog }> {
    const schema = `chain_${++chains}`;
    await db.admin.query(`CREATE SCHEMA ${schema}`);
    await createAuditTable(db.admin, schema, db.role);
    const log = new AuditLog({ schema });
    for (let i = 1; i <= records; i++) {
      await app.transaction((m) =>
        log.record(m, entry({ objectId: `cam-${i}`, details: { n: i, nested: { b: 2, a: [1, 'x'] } } })),
      );
    }
    return { schema, log };
  }

  /** As a superuser who also disables the append-only trigger: only such a person can tamper. */
  function tamper(sql: string) {
    return db.admin.transaction(async (m) => {
      await m.query('SET LOCAL session_replication_role = replica');
      await m.query(sql);
    });
  }

  describe('recording', () => {
    const outbox = () => new Outbox(new UnitOfWork(app), '/safecity/test');

    it('appends inside the caller transaction and chains each record to the one before', async () => {
      const log = new AuditLog({ schema: db.schema });
      const first = await app.transaction((m) => log.record(m, entry()));
      const second = await app.transaction((m) => log.record(m, entry({ action: 'update' })));
      expect(first).toMatchObject({
        seq: 1,
        prevHash: GENESIS_HASH,
        actorSubject: 'alice',
        actorKind: 'user',
        actorRoles: ['operator'],
      });
      expect(second).toMatchObject({ seq: 2, prevHash: first.hash });
      expect(first.hash).toMatch(/^[0-9a-f]{64}$/);
    });

    it('leaves no record, and no hole, when the audited transaction rolls back', async () => {
      const log = new AuditLog({ schema: db.schema });
      const before = await verifyAuditChain(app, db.schema);
      await app
        .transaction(async (m) => {
          await log.record(m, entry({ objectId: 'doomed' }));
          throw new Error('the audited action failed');
        })
        .catch(() => undefined);
      const next = await app.transaction((m) => log.record(m, entry()));
      expect(next.seq).toBe(before.lastSeq! + 1);
      expect(await app.query(`SELECT count(*)::int AS n FROM audit_log WHERE object_id = 'doomed'`)).toEqual([
        { n: 0 },
      ]);
      await expect(verifyAuditChain(app, db.schema)).resolves.toMatchObject({ ok: true });
    });

    it('queues each record for safecity.audit.v1 through the outbox, in the same transaction', async () => {
      const log = new AuditLog({ schema: db.schema, outbox: outbox() });
      const record = await app.transaction((m) =>
        log.record(
          m,
          entry({
            action: 'read',
            objectType: 'watchlist-entry',
            objectId: 'w-7',
            purpose: 'incident 42',
            legalBasis: 'order 2025/17',
          }),
        ),
      );
      const [row] = await app.query(`SELECT topic, key, headers, payload FROM outbox WHERE event_id = $1`, [
        record.id,
      ]);
      expect(row).toMatchObject({ topic: Topics.Audit, key: 'watchlist-entry:w-7' });
      expect(row.headers).toMatchObject({
        ce_type: EventTypes.AuditRecorded,
        ce_id: record.id,
        region: 'ALA',
      });
      const message = AuditRecorded.decode(row.payload);
      expect(message).toMatchObject({
        id: record.id,
        seq: record.seq,
        source: db.schema,
        actor: { kind: common.ActorKind.ACTOR_KIND_USER, id: 'alice' },
        actorRoles: ['operator'],
        action: AuditAction.AUDIT_ACTION_READ,
        objectType: 'watchlist-entry',
        objectId: 'w-7',
        purpose: 'incident 42',
        legalBasis: 'order 2025/17',
        prevHash: record.prevHash,
        hash: record.hash,
      });
      expect(JSON.parse(message.detailsJson)).toEqual({ field: 'name' });
      expect(message.recordedAt).toEqual(record.recordedAt);
    });

    it('needs a purpose and a legal basis for reads, disclosures, erasures and personal data', async () => {
      const log = new AuditLog({ schema: db.schema, personalDataTypes: ['prevention-subject'] });
      for (const bad of [
        entry({ action: 'read' }),
        entry({ action: 'disclose', purpose: 'court request' }),
        entry({ action: 'erase', legalBasis: 'law 94-V' }),
        entry({ action: 'create', objectType: 'prevention-subject' }),
        entry({ action: 'update', objectType: 'prevention-subject', purpose: '  ', legalBasis: 'x' }),
      ]) {
        await expect(app.transaction((m) => log.record(m, bad))).rejects.toThrow(AuditEntryError);
      }
      await expect(app.transaction((m) => log.record(m, entry({ action: 'read' })))).rejects.toThrow(
        'a read must be audited with purpose and legalBasis',
      );
      await expect(
        app.transaction((m) =>
          log.record(
            m,
            entry({ objectType: 'prevention-subject', purpose: 'case review', legalBasis: 'law 94-V' }),
          ),
        ),
      ).resolves.toMatchObject({ purpose: 'case review' });
      // The table enforces it as well, for anyone writing SQL by hand.
      await expect(
        app.query(`INSERT INTO audit_log (seq, id, recorded_at, actor_subject, actor_kind, action, object_type, object_id, prev_hash, hash)
                   VALUES (999999, gen_random_uuid(), now(), 'x', 'user', 'read', 't', 'i', repeat('a', 64), repeat('b', 64))`),
      ).rejects.toThrow(/check constraint/);
    });

    it('appends many records in one insert and one outbox row, chained in order among single ones', async () => {
      const { schema } = await freshChain(2);
      const log = new AuditLog({ schema, outbox: outbox() });
      const queuedBefore = Number(
        (await app.query(`SELECT count(*)::int AS n FROM outbox WHERE topic = $1`, [Topics.Audit]))[0].n,
      );
      const records = await app.transaction((m) =>
        log.recordMany(
          m,
          [1, 2, 3].map((n) => entry({ objectId: `bulk-${n}`, details: { n } })),
        ),
      );
      expect(records.map((r) => r.seq)).toEqual([3, 4, 5]);
      expect(records[1]!.prevHash).toBe(records[0]!.hash);
      const after = await app.transaction((m) => log.record(m, entry({ objectId: 'single' })));
      expect(after).toMatchObject({ seq: 6, prevHash: records[2]!.hash });
      await expect(verifyAuditChain(app, schema)).resolves.toMatchObject({ ok: true, checked: 6 });
      const rows = (await app.query(`SELECT headers FROM outbox WHERE topic = $1 ORDER BY position`, [
        Topics.Audit,
      ])) as { headers: Record<string, string> }[];
      // The three records travel packed in one row; the single one in its own.
      expect(rows.length - queuedBefore).toBe(2);
      expect(rows.at(-2)!.headers['x-outbox-batch']).toBe('3');
      await expect(
        app.transaction((m) => log.recordMany(m, [entry(), entry({ action: 'read' })])),
      ).rejects.toThrow(/purpose and legalBasis/);
    });

    it('refuses to record outside a transaction', async () => {
      const log = new AuditLog({ schema: db.schema });
      await expect(log.record(app.manager, entry())).rejects.toThrow(/inside the transaction/);
    });

    it('keeps the chain linear under concurrent writers', async () => {
      const { schema, log } = await freshChain(0);
      await Promise.all(
        Array.from({ length: 25 }, (_, i) =>
          app.transaction(async (m: EntityManager) => {
            await m.query('SELECT pg_sleep($1)', [(i % 5) / 1000]);
            return log.record(m, entry({ objectId: `c-${i}` }));
          }),
        ),
      );
      const seqs = (await db.admin.query(`SELECT seq::int FROM ${schema}.audit_log ORDER BY seq`)).map(
        (r: { seq: number }) => r.seq,
      );
      expect(seqs).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
      await expect(verifyAuditChain(app, schema)).resolves.toEqual(
        expect.objectContaining({ ok: true, checked: 25 }),
      );
    });
  });

  describe('append-only', () => {
    it('grants the application role only INSERT and SELECT, whichever order the migration used', async () => {
      for (const schema of [db.schema, 'other']) {
        const [privileges] = await db.admin.query(
          `SELECT has_table_privilege($1, $2, 'SELECT') AS s, has_table_privilege($1, $2, 'INSERT') AS i,
                  has_table_privilege($1, $2, 'UPDATE') AS u, has_table_privilege($1, $2, 'DELETE') AS d,
                  has_table_privilege($1, $2, 'TRUNCATE') AS t`,
          [db.role, `${schema}.audit_log`],
        );
        expect({ schema, ...privileges }).toEqual({ schema, s: true, i: true, u: false, d: false, t: false });
      }
    });

    it('has PostgreSQL refuse UPDATE, DELETE and TRUNCATE from the application role', async () => {
      await freshChain(0);
      const log = new AuditLog({ schema: db.schema });
      await app.transaction((m) => log.record(m, entry()));
      for (const sql of [
        `UPDATE audit_log SET purpose = 'nothing to see'`,
        `DELETE FROM audit_log`,
        `TRUNCATE audit_log`,
      ]) {
        await expect(app.query(sql)).rejects.toThrow(/permission denied for table audit_log/);
      }
    });

    it('refuses changes even from the superuser unless the trigger is switched off on purpose', async () => {
      await expect(db.admin.query(`UPDATE audit_log SET purpose = 'x' WHERE seq = 1`)).rejects.toThrow(
        /append-only/,
      );
      await expect(db.admin.query(`DELETE FROM audit_log WHERE seq = 1`)).rejects.toThrow(/append-only/);
    });
  });

  describe('verification finds tampering (done as superuser, as the application role cannot)', () => {
    it('passes an intact chain', async () => {
      const { schema } = await freshChain(6);
      const result = await verifyAuditChain(app, schema, { batchSize: 4 });
      expect(result).toMatchObject({ ok: true, checked: 6, lastSeq: 6 });
      await expect(verifyAuditChain(db.url, schema)).resolves.toEqual(result);
    });

    it('detects an edited record', async () => {
      const { schema } = await freshChain(6);
      await tamper(`UPDATE ${schema}.audit_log SET details = '{"n": 999}' WHERE seq = 4`);
      await expect(verifyAuditChain(app, schema)).resolves.toMatchObject({
        ok: false,
        checked: 3,
        firstBrokenSeq: 4,
        reason: expect.stringMatching(/changed/),
      });
      const { schema: other } = await freshChain(3);
      await tamper(`UPDATE ${other}.audit_log SET actor_subject = 'mallory' WHERE seq = 1`);
      await expect(verifyAuditChain(app, other)).resolves.toMatchObject({ ok: false, firstBrokenSeq: 1 });
    });

    it('detects a removed record', async () => {
      const { schema } = await freshChain(6);
      await tamper(`DELETE FROM ${schema}.audit_log WHERE seq = 3`);
      await expect(verifyAuditChain(app, schema)).resolves.toMatchObject({
        ok: false,
        checked: 2,
        firstBrokenSeq: 3,
        reason: 'record 3 is missing',
      });
      const { schema: first } = await freshChain(3);
      await tamper(`DELETE FROM ${first}.audit_log WHERE seq = 1`);
      await expect(verifyAuditChain(app, first)).resolves.toMatchObject({ ok: false, firstBrokenSeq: 1 });
    });

    it('detects a removed record whose successors were renumbered', async () => {
      const { schema } = await freshChain(6);
      await tamper(`DELETE FROM ${schema}.audit_log WHERE seq = 3`);
      await tamper(`UPDATE ${schema}.audit_log SET seq = seq - 1 WHERE seq > 3`);
      await expect(verifyAuditChain(app, schema)).resolves.toMatchObject({ ok: false, firstBrokenSeq: 3 });
    });

    it('detects reordered records', async () => {
      const swap = async (schema: string, a: number, b: number) => {
        await tamper(`UPDATE ${schema}.audit_log SET seq = 1000000 WHERE seq = ${a}`);
        await tamper(`UPDATE ${schema}.audit_log SET seq = ${a} WHERE seq = ${b}`);
        await tamper(`UPDATE ${schema}.audit_log SET seq = ${b} WHERE seq = 1000000`);
      };
      const { schema } = await freshChain(6);
      await swap(schema, 2, 5);
      await expect(verifyAuditChain(app, schema)).resolves.toMatchObject({
        ok: false,
        checked: 1,
        firstBrokenSeq: 2,
      });
      const { schema: adjacent } = await freshChain(6);
      await swap(adjacent, 3, 4);
      await expect(verifyAuditChain(app, adjacent)).resolves.toMatchObject({
        ok: false,
        checked: 2,
        firstBrokenSeq: 3,
      });
    });

    it('detects a rewritten chain or a cut-off tail against an anchor noted earlier', async () => {
      const { schema, log } = await freshChain(5);
      const anchor = await verifyAuditChain(app, schema);
      await app.transaction((m) => log.record(m, entry({ objectId: 'later' })));
      // Delete the tail: the remaining chain is intact, only the anchor exposes it.
      await tamper(`DELETE FROM ${schema}.audit_log WHERE seq >= 5`);
      expect(await verifyAuditChain(app, schema)).toMatchObject({ ok: true, checked: 4 });
      expect(
        await verifyAuditChain(app, schema, { anchors: [{ seq: anchor.lastSeq!, hash: anchor.lastHash! }] }),
      ).toMatchObject({
        ok: false,
        reason: 'anchored record 5 is missing: the log was cut short',
      });
    });

    it('detects a chain whose hashes were all recomputed after an edit, given an anchor', async () => {
      const { schema } = await freshChain(5);
      const anchor = await verifyAuditChain(app, schema);
      await tamper(`UPDATE ${schema}.audit_log SET object_id = 'cam-x' WHERE seq = 2`);
      // The hash has no secret: whoever can edit rows can recompute the rest of the chain.
      const rows: AuditRow[] = await db.admin.query(`SELECT * FROM ${schema}.audit_log ORDER BY seq`);
      let prev = GENESIS_HASH;
      for (const row of rows) {
        const record = fromAuditRow(row);
        const hash = auditRecordHash(prev, { ...record });
        await tamper(
          `UPDATE ${schema}.audit_log SET prev_hash = '${prev}', hash = '${hash}' WHERE seq = ${record.seq}`,
        );
        prev = hash;
      }
      expect(await verifyAuditChain(app, schema)).toMatchObject({ ok: true });
      expect(
        await verifyAuditChain(app, schema, { anchors: [{ seq: anchor.lastSeq!, hash: anchor.lastHash! }] }),
      ).toMatchObject({
        ok: false,
        firstBrokenSeq: 5,
        reason: 'record 5 differs from its anchor: the chain was rewritten',
      });
    });

    it('is a command that exits 1 on a broken chain', async () => {
      const { schema } = await freshChain(3);
      const run = async (argv: string[]) => {
        const out: string[] = [];
        const err: string[] = [];
        const code = await verifyCli(argv, {
          stdout: (t) => out.push(t),
          stderr: (t) => err.push(t),
          env: { DATABASE_URL: db.url },
        });
        return { code, stdout: out.join(''), stderr: err.join('') };
      };
      const good = await run(['--schema', schema]);
      expect(good.code).toBe(0);
      expect(JSON.parse(good.stdout)).toMatchObject({ schema, ok: true, checked: 3 });
      await tamper(`UPDATE ${schema}.audit_log SET object_id = 'other' WHERE seq = 2`);
      const bad = await run(['--schema', schema]);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toMatch(/BROKEN at 2/);
      expect((await run([])).code).toBe(2);
      expect((await run(['--schema', schema, '--anchor', 'nonsense'])).code).toBe(2);
    });
  });

  describe('GET /audit-log for auditors', () => {
    let nest: INestApplication;
    let issuer: LocalIssuer;
    let http: ReturnType<typeof request>;
    let schema: string;

    beforeAll(async () => {
      ({ schema } = await freshChain(0));
      const log = new AuditLog({ schema });
      const actors: Principal[] = [
        operator,
        { kind: 'user', subject: 'bob', roles: ['supervisor'], regions: ['AST'] },
        { kind: 'video-system', subject: 'vs-9', roles: [], regions: ['ALA'] },
      ];
      for (let i = 0; i < 12; i++) {
        const actor = actors[i % 3]!;
        await app.transaction((m) =>
          log.record(
            m,
            entry({
              actor,
              objectId: `cam-${i % 4}`,
              regionCode: actor.regions === 'all' ? null : actor.regions[0],
            }),
          ),
        );
      }
      issuer = await LocalIssuer.open({
        directory: join(mkdtempSync(join(tmpdir(), 'safecity-audit-')), 'issuer'),
      });
      @Module({
        imports: [SecurityModule.forRoot({ verifier: issuer.verifier() })],
        controllers: [createAuditLogController()],
        providers: [{ provide: AuditQueryService, useValue: new AuditQueryService(app, { schema }) }],
      })
      class AppModule {}
      nest = await NestFactory.create(AppModule, { logger: false });
      nest.useGlobalPipes(createValidationPipe());
      await nest.init();
      http = request(nest.getHttpServer());
    });
    afterAll(() => nest?.close());

    const auth = async (roles: Principal['roles'], regions: string[] | 'all') =>
      `Bearer ${await issuer.issue({ subject: 'audrey', roles, regions })}`;

    it('is for auditors only', async () => {
      await http.get('/audit-log').expect(401);
      await http
        .get('/audit-log')
        .set('Authorization', await auth(['operator', 'admin'], 'all'))
        .expect(403);
    });

    it('shows an auditor the records of their regions, newest first, filtered by object and actor', async () => {
      const all = await http
        .get('/audit-log')
        .set('Authorization', await auth(['auditor'], 'all'))
        .expect(200);
      expect(all.body.items).toHaveLength(12);
      expect(all.body.items[0].seq).toBe(12);
      expect(all.body.items[0].recordedAt).toMatch(/Z$/);

      const ala = await http
        .get('/audit-log')
        .set('Authorization', await auth(['auditor'], ['ALA']))
        .expect(200);
      expect(ala.body.items).toHaveLength(8);
      expect(new Set(ala.body.items.map((r: { regionCode: string }) => r.regionCode))).toEqual(
        new Set(['ALA']),
      );

      const byObject = await http
        .get('/audit-log?objectType=camera&objectId=cam-1')
        .set('Authorization', await auth(['auditor'], 'all'))
        .expect(200);
      expect(byObject.body.items.map((r: { objectId: string }) => r.objectId)).toEqual([
        'cam-1',
        'cam-1',
        'cam-1',
      ]);

      const byActor = await http
        .get('/audit-log?actor=bob')
        .set('Authorization', await auth(['auditor'], 'all'))
        .expect(200);
      expect(byActor.body.items).toHaveLength(4);
      expect(byActor.body.items.every((r: { actorSubject: string }) => r.actorSubject === 'bob')).toBe(true);
    });

    it('filters by time', async () => {
      const rows = await db.admin.query(`SELECT seq::int, recorded_at FROM ${schema}.audit_log ORDER BY seq`);
      const from = rows[4].recorded_at.toISOString();
      const to = rows[8].recorded_at.toISOString();
      const page = await http
        .get(`/audit-log?from=${from}&to=${to}`)
        .set('Authorization', await auth(['auditor'], 'all'))
        .expect(200);
      const expected = rows.filter(
        (r: { recorded_at: Date }) =>
          r.recorded_at >= rows[4].recorded_at && r.recorded_at < rows[8].recorded_at,
      );
      expect(page.body.items.map((r: { seq: number }) => r.seq).sort()).toEqual(
        expected.map((r: { seq: number }) => r.seq).sort(),
      );
    });

    it('pages with a cursor and caps the page size (API4:2023 resource consumption)', async () => {
      const authorization = await auth(['auditor'], 'all');
      const seen: number[] = [];
      let cursor: string | null = null;
      do {
        const page: request.Response = await http
          .get(`/audit-log?limit=5${cursor ? `&cursor=${cursor}` : ''}`)
          .set('Authorization', authorization)
          .expect(200);
        expect(page.body.items.length).toBeLessThanOrEqual(5);
        seen.push(...page.body.items.map((r: { seq: number }) => r.seq));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(seen).toEqual([12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);

      const tooBig = await http.get('/audit-log?limit=501').set('Authorization', authorization).expect(400);
      expect(tooBig.body.problems).toEqual([expect.objectContaining({ field: 'limit' })]);
      await http.get('/audit-log?limit=500').set('Authorization', authorization).expect(200);
      await http.get('/audit-log?cursor=garbage').set('Authorization', authorization).expect(400);
      await http.get('/audit-log?objectKind=camera').set('Authorization', authorization).expect(400);
      await http.get('/audit-log?from=yesterday').set('Authorization', authorization).expect(400);
    });
  });
});
