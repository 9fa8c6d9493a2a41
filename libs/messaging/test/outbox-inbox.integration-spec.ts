import { DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import { createServiceDataSource, migrateServiceSchema, UnitOfWork } from '@safecity/persistence';
import { createTestDatabase } from '@safecity/testing';
import { createMessagingTables } from '../src/migrations';
import { Outbox } from '../src/outbox/outbox';
import { OutboxRelay } from '../src/outbox/outbox-relay';
import { Inbox } from '../src/inbox/inbox';
import { CeHeader, type BusRecord } from '../src/envelope';
import type { EventPublisher } from '../src/publisher';

class MessagingTables1700000000000 implements MigrationInterface {
  name = 'MessagingTables1700000000000';
  up(q: QueryRunner) {
    return createMessagingTables(q, 'outbox_test');
  }
  async down() {}
}

/** A bus stand-in that can be switched off, to watch the relay back off and resume. */
class SwitchablePublisher implements EventPublisher {
  readonly transportName = 'test';
  up = true;
  received: BusRecord[] = [];
  /** When each successful request went out (`performance.now()`) and how many records it held. */
  requests: { at: number; records: number }[] = [];
  failures = 0;
  async publishBatch(records: BusRecord[]) {
    if (!this.up) {
      this.failures++;
      throw new Error('broker unreachable');
    }
    this.received.push(...records);
    this.requests.push({ at: performance.now(), records: records.length });
  }
  isHealthy() {
    return this.up;
  }
}

const event = (key: string, n: number) => ({
  topic: 'safecity.things.v1',
  key,
  type: 'kz.test.v1.ThingChanged',
  payload: Buffer.from(`payload-${n}`),
  region: 'almaty',
  subject: key,
});

describe('outbox and inbox on real PostgreSQL', () => {
  let db: { url: string; drop(): Promise<void> };
  let ds: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase('outbox');
    ds = createServiceDataSource({
      url: db.url,
      schema: 'outbox_test',
      entities: [],
      migrations: [MessagingTables1700000000000],
    });
    await ds.initialize();
    expect(await migrateServiceSchema(ds)).toEqual(['MessagingTables1700000000000']);
  });

  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  beforeEach(async () => {
    await ds.query('TRUNCATE outbox, inbox');
  });

  it('commits events with the state change and not at all when the transaction rolls back', async () => {
    const unit = new UnitOfWork(ds);
    const outbox = new Outbox(unit, '/safecity/test');
    await unit.run(async (m) => {
      await outbox.add(m, [event('a', 1), event('b', 2)]);
    });
    await expect(
      unit.run(async (m) => {
        await outbox.add(m, event('c', 3));
        throw new Error('validation failed after the insert');
      }),
    ).rejects.toThrow('validation failed');
    expect(await outbox.pending()).toBe(2);
  });

  it('does not queue a re-sent event with the same id twice', async () => {
    const unit = new UnitOfWork(ds);
    const outbox = new Outbox(unit, '/safecity/test');
    await unit.run((m) => outbox.add(m, { ...event('a', 1), id: 'vendor-42' }));
    await unit.run((m) => outbox.add(m, { ...event('a', 1), id: 'vendor-42' }));
    expect(await outbox.pending()).toBe(1);
  });

  it('relays in write order with CloudEvents headers, then empties the outbox', async () => {
    const unit = new UnitOfWork(ds);
    const outbox = new Outbox(unit, '/safecity/test');
    const publisher = new SwitchablePublisher();
    for (let i = 0; i < 30; i++) await unit.run((m) => outbox.add(m, event(`k${i % 3}`, i)));
    const relay = new OutboxRelay(ds, publisher, { schema: 'outbox_test', batchSize: 7 });
    let total = 0;
    for (let n = await relay.relayOnce(); n > 0; n = await relay.relayOnce()) total += n;
    expect(total).toBe(30);
    expect(publisher.received.map((r) => r.value.toString())).toEqual(
      Array.from({ length: 30 }, (_, i) => `payload-${i}`),
    );
    expect(publisher.received[0].headers).toMatchObject({
      [CeHeader.SpecVersion]: '1.0',
      [CeHeader.Source]: '/safecity/test',
      [CeHeader.Type]: 'kz.test.v1.ThingChanged',
      [CeHeader.ContentType]: 'application/protobuf',
      [CeHeader.Region]: 'almaty',
      [CeHeader.Subject]: 'k0',
    });
    expect(publisher.received[0].headers[CeHeader.Id]).toMatch(/^[0-9a-f-]{36}$/);
    expect(await outbox.pending()).toBe(0);
  });

  it('keeps rows while the bus is down, backs off, and publishes them once it is back', async () => {
    const unit = new UnitOfWork(ds);
    const outbox = new Outbox(unit, '/safecity/test');
    const publisher = new SwitchablePublisher();
    publisher.up = false;
    const relay = new OutboxRelay(ds, publisher, {
      schema: 'outbox_test',
      pollIntervalMs: 10,
      initialBackoffMs: 20,
      maxBackoffMs: 80,
    });
    relay.start();
    try {
      for (let i = 0; i < 5; i++) await unit.run((m) => outbox.add(m, event('a', i)));
      await new Promise((r) => setTimeout(r, 400));
      expect(await outbox.pending()).toBe(5);
      expect(relay.healthy).toBe(false);
      // With a 20..80 ms backoff, 400 ms allows only a handful of attempts, not a busy loop.
      expect(publisher.failures).toBeGreaterThan(1);
      expect(publisher.failures).toBeLessThan(15);
      publisher.up = true;
      const deadline = Date.now() + 5_000;
      while ((await outbox.pending()) > 0 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 20));
      expect(await outbox.pending()).toBe(0);
      expect(publisher.received.map((r) => r.value.toString())).toEqual(
        [0, 1, 2, 3, 4].map((i) => `payload-${i}`),
      );
    } finally {
      await relay.stop();
    }
  });

  it('publishes as soon as it is woken, and stops at once, however long its poll', async () => {
    const unit = new UnitOfWork(ds);
    const outbox = new Outbox(unit, '/safecity/test');
    const publisher = new SwitchablePublisher();
    const relay = new OutboxRelay(ds, publisher, { schema: 'outbox_test', pollIntervalMs: 60_000 });
    relay.start();
    try {
      // The relay's first look found nothing; now it waits for a minute unless woken.
      await new Promise((r) => setTimeout(r, 200));
      await unit.run((m) => outbox.add(m, event('woken', 1)));
      relay.wake();
      const deadline = Date.now() + 5_000;
      while (publisher.received.length === 0 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 10));
      expect(publisher.received.map((r) => r.value.toString())).toEqual(['payload-1']);
    } finally {
      const stopping = Date.now();
      await relay.stop();
      expect(Date.now() - stopping).toBeLessThan(5_000);
    }
  });

  it('lingers after a pass that published, so the commits meanwhile go out together', async () => {
    const unit = new UnitOfWork(ds);
    const outbox = new Outbox(unit, '/safecity/test');
    const publisher = new SwitchablePublisher();
    const relay = new OutboxRelay(ds, publisher, {
      schema: 'outbox_test',
      pollIntervalMs: 60_000,
      lingerMs: 1_000,
    });
    const commit = async (n: number) => {
      await unit.run((m) => outbox.add(m, event('k', n)));
      relay.wake();
    };
    const published = async (count: number) => {
      const deadline = Date.now() + 5_000;
      while (publisher.received.length < count && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 10));
      expect(publisher.received).toHaveLength(count);
    };
    relay.start();
    try {
      // Idle, a wake is answered at once.
      await new Promise((r) => setTimeout(r, 100));
      const firstCommitAt = performance.now();
      await commit(0);
      await published(1);
      expect(publisher.requests[0].at - firstCommitAt).toBeLessThan(500);
      for (let n = 1; n <= 5; n++) await commit(n);
      await published(6);
      expect(publisher.requests.map((r) => r.records)).toEqual([1, 5]);
      expect(publisher.requests[1].at - publisher.requests[0].at).toBeGreaterThanOrEqual(900);
      expect(publisher.received.map((r) => r.value.toString())).toEqual(
        [0, 1, 2, 3, 4, 5].map((n) => `payload-${n}`),
      );
      // The pass after an empty one is not held back: there was nothing to gather.
      await new Promise((r) => setTimeout(r, 1_100));
      const lateCommitAt = performance.now();
      await commit(6);
      await published(7);
      expect(publisher.requests[2].at - lateCommitAt).toBeLessThan(500);
      // A linger does not delay a stop; what is committed meanwhile waits in the outbox.
      await commit(7);
      const stopping = performance.now();
      await relay.stop();
      expect(performance.now() - stopping).toBeLessThan(500);
      expect(await outbox.pending()).toBe(1);
    } finally {
      await relay.stop();
    }
  });

  it('does not linger while a backlog fills whole batches', async () => {
    const unit = new UnitOfWork(ds);
    const outbox = new Outbox(unit, '/safecity/test');
    const publisher = new SwitchablePublisher();
    for (let n = 0; n < 6; n++) await unit.run((m) => outbox.add(m, event('k', n)));
    const relay = new OutboxRelay(ds, publisher, {
      schema: 'outbox_test',
      batchSize: 2,
      pollIntervalMs: 60_000,
      lingerMs: 5_000,
    });
    const started = performance.now();
    relay.start();
    try {
      const deadline = Date.now() + 5_000;
      while (publisher.received.length < 6 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 10));
      expect(publisher.requests.map((r) => r.records)).toEqual([2, 2, 2]);
      expect(performance.now() - started).toBeLessThan(2_500);
    } finally {
      await relay.stop();
    }
  });

  it('relays packed rows as their events, in write order, within the batch size', async () => {
    const unit = new UnitOfWork(ds);
    const outbox = new Outbox(unit, '/safecity/test');
    const publisher = new SwitchablePublisher();
    await unit.run((m) => outbox.add(m, event('k0', 0)));
    // 1,200 events make three packed rows (500, 500, 200), and another topic a fourth.
    const many = Array.from({ length: 1_200 }, (_, i) => ({ ...event(`k${i % 3}`, i + 1), id: `p-${i}` }));
    const ids = await unit.run((m) =>
      outbox.addBatch(m, [...many, { ...event('x', 9_999), topic: 'safecity.others.v1' }]),
    );
    expect(ids.slice(0, 3)).toEqual(['p-0', 'p-1', 'p-2']);
    await unit.run((m) => outbox.add(m, event('k1', 1_201)));
    const [{ rows }] = await ds.query('SELECT count(*)::int AS rows FROM outbox');
    expect(rows).toBe(6);
    expect(await outbox.pending()).toBe(1_203);

    const relay = new OutboxRelay(ds, publisher, { schema: 'outbox_test', batchSize: 600 });
    const sizes: number[] = [];
    for (let n = await relay.relayOnce(); n > 0; n = await relay.relayOnce()) sizes.push(n);
    // A row is never split: 1 + 500 fit, the next 500 alone, then 200 + 1 + 1.
    expect(sizes).toEqual([501, 500, 202]);
    const things = publisher.received.filter((r) => r.topic === 'safecity.things.v1');
    expect(things.map((r) => r.value.toString())).toEqual(
      Array.from({ length: 1_202 }, (_, i) => `payload-${i}`),
    );
    expect(things[1].headers).toMatchObject({
      [CeHeader.SpecVersion]: '1.0',
      [CeHeader.Id]: 'p-0',
      [CeHeader.Source]: '/safecity/test',
      [CeHeader.Type]: 'kz.test.v1.ThingChanged',
      [CeHeader.ContentType]: 'application/protobuf',
      [CeHeader.Region]: 'almaty',
      [CeHeader.Subject]: 'k0',
    });
    expect(things[1].key).toBe('k0');
    expect(publisher.received.find((r) => r.topic === 'safecity.others.v1')?.key).toBe('x');
    expect(await outbox.pending()).toBe(0);
  });

  it('keeps a packed row whole when its publish fails, and publishes it all later', async () => {
    const unit = new UnitOfWork(ds);
    const outbox = new Outbox(unit, '/safecity/test');
    const publisher = new SwitchablePublisher();
    await unit.run((m) =>
      outbox.addBatch(
        m,
        Array.from({ length: 10 }, (_, i) => event('a', i)),
      ),
    );
    const relay = new OutboxRelay(ds, publisher, { schema: 'outbox_test' });
    publisher.up = false;
    await expect(relay.relayOnce()).rejects.toThrow('broker unreachable');
    expect(await outbox.pending()).toBe(10);
    publisher.up = true;
    expect(await relay.relayOnce()).toBe(10);
    expect(publisher.received.map((r) => r.value.toString())).toEqual(
      Array.from({ length: 10 }, (_, i) => `payload-${i}`),
    );
    // Ids were given to events that had none, one each.
    expect(new Set(publisher.received.map((r) => r.headers[CeHeader.Id])).size).toBe(10);
  });

  it('queues a packed row inside a statement of the caller, numbering its parameters after the caller’s', async () => {
    const unit = new UnitOfWork(ds);
    const outbox = new Outbox(unit, '/safecity/test');
    const publisher = new SwitchablePublisher();
    const events = Array.from({ length: 3 }, (_, i) => ({ ...event('a', i), id: `in-stmt-${i}` }));
    const [{ mine }] = await unit.run(async (m) => {
      const queued = outbox.batchInsert(events, 3);
      return m.query(`WITH queued AS (${queued.sql}) SELECT $1::int + $2::int AS mine`, [
        40,
        2,
        ...queued.params,
      ]);
    });
    expect(mine).toBe(42);
    expect(await outbox.pending()).toBe(3);
    const relay = new OutboxRelay(ds, publisher, { schema: 'outbox_test' });
    expect(await relay.relayOnce()).toBe(3);
    expect(publisher.received.map((r) => [r.headers[CeHeader.Id], r.value.toString()])).toEqual([
      ['in-stmt-0', 'payload-0'],
      ['in-stmt-1', 'payload-1'],
      ['in-stmt-2', 'payload-2'],
    ]);
  });

  it('publishes a batch above the request size as several requests, in order, then deletes it', async () => {
    const unit = new UnitOfWork(ds);
    const outbox = new Outbox(unit, '/safecity/test');
    const requests: BusRecord[][] = [];
    const counting: EventPublisher = {
      transportName: 'counting',
      isHealthy: () => true,
      publishBatch: async (records) => void requests.push(records),
    };
    await unit.run((m) =>
      outbox.addBatch(
        m,
        Array.from({ length: 40 }, (_, i) => ({ ...event('a', i), payload: Buffer.alloc(1_000, i) })),
      ),
    );
    const relay = new OutboxRelay(ds, counting, { schema: 'outbox_test', maxRequestBytes: 10_000 });
    expect(await relay.relayOnce()).toBe(40);
    expect(requests.length).toBeGreaterThanOrEqual(4);
    expect(requests.flat().map((r) => r.value[0])).toEqual(Array.from({ length: 40 }, (_, i) => i));
    expect(await outbox.pending()).toBe(0);
  });

  it('writes no packed row for a transaction that rolls back', async () => {
    const unit = new UnitOfWork(ds);
    const outbox = new Outbox(unit, '/safecity/test');
    await expect(
      unit.run(async (m) => {
        await outbox.addBatch(m, [event('a', 1), event('b', 2)]);
        throw new Error('the state change failed');
      }),
    ).rejects.toThrow('the state change failed');
    expect(await outbox.pending()).toBe(0);
  });

  it('lets only one relay publish at a time', async () => {
    const unit = new UnitOfWork(ds);
    const outbox = new Outbox(unit, '/safecity/test');
    for (let i = 0; i < 50; i++) await unit.run((m) => outbox.add(m, event('a', i)));
    const publisher = new SwitchablePublisher();
    const slow: EventPublisher = {
      transportName: 'slow',
      isHealthy: () => true,
      publishBatch: async (records) => {
        await new Promise((r) => setTimeout(r, 50));
        await publisher.publishBatch(records);
      },
    };
    const a = new OutboxRelay(ds, slow, { schema: 'outbox_test', batchSize: 50 });
    const b = new OutboxRelay(ds, slow, { schema: 'outbox_test', batchSize: 50 });
    const [na, nb] = await Promise.all([a.relayOnce(), b.relayOnce()]);
    expect([na, nb].sort()).toEqual([0, 50]);
    expect(publisher.received).toHaveLength(50);
  });

  it('applies an event once per consumer group however often it is delivered', async () => {
    await ds.query('CREATE TABLE IF NOT EXISTS counter (id int PRIMARY KEY, n int NOT NULL)');
    await ds.query('INSERT INTO counter VALUES (1, 0) ON CONFLICT (id) DO UPDATE SET n = 0');
    const inbox = new Inbox(new UnitOfWork(ds), 'safecity.a');
    const other = new Inbox(new UnitOfWork(ds), 'safecity.b');
    const apply = (m: import('typeorm').EntityManager) =>
      m.query('UPDATE counter SET n = n + 1 WHERE id = 1');
    const e = { id: 'event-1', topic: 'safecity.things.v1' };
    const results = await Promise.all([inbox.once(e, apply), inbox.once(e, apply), inbox.once(e, apply)]);
    expect(results.filter((r) => r.applied)).toHaveLength(1);
    expect((await other.once(e, apply)).applied).toBe(true);
    const [{ n }] = await ds.query('SELECT n FROM counter WHERE id = 1');
    expect(n).toBe(2);
  });

  it('records nothing when the effect fails, so the redelivery applies it', async () => {
    const inbox = new Inbox(new UnitOfWork(ds), 'safecity.a');
    const e = { id: 'event-2', topic: 'safecity.things.v1' };
    await expect(
      inbox.once(e, async () => {
        throw new Error('constraint violated');
      }),
    ).rejects.toThrow('constraint violated');
    expect((await inbox.once(e, async () => 'ok')).applied).toBe(true);
  });
});

describe('batch inbox on real PostgreSQL', () => {
  let db: { url: string; drop(): Promise<void> };
  let ds: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase('inboxbatch');
    ds = createServiceDataSource({
      url: db.url,
      schema: 'outbox_test',
      entities: [],
      migrations: [MessagingTables1700000000000],
    });
    await ds.initialize();
    await migrateServiceSchema(ds);
  });

  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  it('applies only the events not seen before, and a duplicate inside one batch once', async () => {
    const inbox = new Inbox(new UnitOfWork(ds), 'safecity.a');
    const e = (id: string) => ({ id, topic: 'safecity.things.v1' });
    const first = await inbox.onceEach([e('1'), e('2'), e('2')], async (_m, fresh) => fresh.map((f) => f.id));
    expect(first.result).toEqual(['1', '2']);
    const second = await inbox.onceEach([e('2'), e('3'), e('1')], async (_m, fresh) =>
      fresh.map((f) => f.id),
    );
    expect(second.result).toEqual(['3']);
    const none = await inbox.onceEach([e('3')], async () => 'ran');
    expect(none).toEqual({ fresh: [] });
  });

  it('records nothing of a batch whose effect fails', async () => {
    const inbox = new Inbox(new UnitOfWork(ds), 'safecity.b');
    const e = (id: string) => ({ id, topic: 'safecity.things.v1' });
    await expect(
      inbox.onceEach([e('x'), e('y')], async () => {
        throw new Error('effect failed');
      }),
    ).rejects.toThrow('effect failed');
    expect((await inbox.onceEach([e('x'), e('y')], async (_m, fresh) => fresh.length)).result).toBe(2);
  });
});
