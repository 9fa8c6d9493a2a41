import type { DataSource } from 'typeorm';
import { UnitOfWork } from '@safecity/persistence';
import { eventually } from '@safecity/testing';
import {
  AuditLog,
  createApplicationRole,
  createAuditTable,
  enableRegionRowLevelSecurity,
  RetentionJob,
  verifyAuditChain,
  type RetentionPolicy,
} from '../src';
import { createTestSchema, type TestSchema } from './support';

const policy: RetentionPolicy = {
  dataClass: 'unmatched-detection-metadata',
  table: 'detections',
  timestampColumn: 'observed_at',
  retainFor: { days: 1 },
  where: 'NOT matched',
  legalBasis: 'retention order 2025-04, item 3',
};

describe('retention', () => {
  let db: TestSchema;
  let app: DataSource;

  beforeAll(async () => {
    db = await createTestSchema('retention', async (q, schema, role) => {
      await q.query(`CREATE TABLE ${schema}.detections (
        id bigserial PRIMARY KEY, region_code text NOT NULL, observed_at timestamptz NOT NULL, matched boolean NOT NULL)`);
      await q.query(
        `CREATE TABLE ${schema}.sessions (id bigserial PRIMARY KEY, started_at timestamptz NOT NULL)`,
      );
      await enableRegionRowLevelSecurity(q, schema, 'detections');
      await createApplicationRole(q, role, schema);
      await createAuditTable(q, schema, role);
    });
    app = await db.app();
  });
  afterAll(() => db.close());

  beforeEach(async () => {
    await db.admin.query('TRUNCATE detections, sessions');
  });

  async function seed(expired: number, { matched = 0, fresh = 0 } = {}) {
    await db.admin.query(
      `INSERT INTO detections (region_code, observed_at, matched)
       SELECT (ARRAY['ALA','AST','SHY'])[1 + i % 3], now() - interval '2 days' - i * interval '1 minute', false
         FROM generate_series(1, $1) i
       UNION ALL SELECT 'ALA', now() - interval '3 days', true FROM generate_series(1, $2)
       UNION ALL SELECT 'AST', now() - interval '1 hour', false FROM generate_series(1, $3)`,
      [expired, matched, fresh],
    );
  }

  const remaining = async () =>
    (await db.admin.query('SELECT count(*)::int AS n FROM detections'))[0].n as number;
  const erasures = async () =>
    db.admin.query(`SELECT * FROM audit_log WHERE action = 'erase' ORDER BY seq`) as Promise<
      Record<string, unknown>[]
    >;

  function job(overrides: Partial<ConstructorParameters<typeof RetentionJob>[1]> = {}) {
    return new RetentionJob(new UnitOfWork(app), {
      schema: db.schema,
      policies: [policy],
      auditLog: new AuditLog({ schema: db.schema }),
      batchSize: 10,
      logger: { log: () => undefined, error: () => undefined },
      ...overrides,
    });
  }

  it('erases expired rows of every region in bounded batches, and audits each erasure', async () => {
    await seed(25, { matched: 5, fresh: 10 });
    const before = (await erasures()).length;
    const result = await job().runOnce();
    expect(result).toMatchObject({ ran: true, erasures: [{ dataClass: policy.dataClass, count: 25 }] });
    // Kept: matched detections (the policy's condition) and fresh ones.
    expect(await remaining()).toBe(15);

    const records = (await erasures()).slice(before);
    expect(records.map((r) => (r.details as { count: number }).count)).toEqual([10, 10, 5]);
    const cutoff = result.ran ? result.erasures[0]!.cutoff.toISOString() : '';
    for (const record of records) {
      expect(record).toMatchObject({
        action: 'erase',
        purpose: 'retention',
        legal_basis: policy.legalBasis,
        object_type: 'data-class',
        object_id: policy.dataClass,
        actor_kind: 'service',
        actor_subject: `service:${db.schema}`,
        details: { table: 'detections', count: expect.any(Number), cutoff },
      });
    }
    await expect(verifyAuditChain(app, db.schema)).resolves.toMatchObject({ ok: true });
    // Nothing left to do: no empty erasure records.
    await job().runOnce();
    expect((await erasures()).length).toBe(before + 3);
  });

  it('runs on one instance at a time: a second job finds the lock taken and does nothing', async () => {
    await seed(30);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let inside!: () => void;
    const entered = new Promise<void>((resolve) => (inside = resolve));
    const first = job({
      onBatch: async () => {
        inside();
        await held;
      },
    });
    const second = job();
    const running = first.runOnce();
    await entered;
    await expect(second.runOnce()).resolves.toEqual({ ran: false });
    release();
    await expect(running).resolves.toMatchObject({ ran: true, erasures: [{ count: 30 }] });
    expect(await remaining()).toBe(0);
    // With the lock released, the other instance may run again.
    await expect(second.runOnce()).resolves.toMatchObject({ ran: true });
  });

  it('supports hours, and several data classes', async () => {
    await db.admin.query(
      `INSERT INTO sessions (started_at) SELECT now() - i * interval '1 hour' - interval '30 minutes' FROM generate_series(0, 9) i`,
    );
    const sessions: RetentionPolicy = {
      dataClass: 'operator-sessions',
      table: 'sessions',
      timestampColumn: 'started_at',
      retainFor: { hours: 5, days: 0 },
      legalBasis: 'security policy 7',
    };
    await seed(3);
    const result = await job({ policies: [policy, sessions] }).runOnce();
    expect(result).toMatchObject({
      ran: true,
      erasures: [
        { dataClass: policy.dataClass, count: 3 },
        { dataClass: 'operator-sessions', count: 5 },
      ],
    });
  });

  it('runs on a schedule that does not hold the process open, until stopped', async () => {
    const scheduled = job({ intervalMs: 50, initialDelayMs: 0 });
    await seed(5);
    scheduled.start();
    const timer = (scheduled as unknown as { timer?: NodeJS.Timeout }).timer;
    expect(timer?.hasRef()).toBe(false);
    await eventually(async () => (await remaining()) === 0, { timeoutMs: 5000 });
    await scheduled.stop();
    await seed(5);
    await new Promise((r) => setTimeout(r, 200));
    expect(await remaining()).toBe(5);
  });

  it('refuses policies it cannot apply safely', () => {
    const make = (p: Partial<RetentionPolicy>) => () => job({ policies: [{ ...policy, ...p }] });
    expect(make({ table: 'detections; DROP TABLE x' })).toThrow(RangeError);
    expect(make({ timestampColumn: 'observed_at OR true' })).toThrow(RangeError);
    expect(make({ retainFor: {} })).toThrow(RangeError);
    expect(make({ retainFor: { days: -1 } })).toThrow(RangeError);
    expect(make({ legalBasis: '' })).toThrow(/legal basis/);
    expect(make({ where: 'true; DELETE FROM audit_log' })).toThrow(RangeError);
    expect(() => job({ policies: [policy, policy] })).toThrow(/distinct/);
  });
});
