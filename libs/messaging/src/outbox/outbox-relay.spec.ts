import type { DataSource } from 'typeorm';
import type { BusRecord } from '../envelope';
import type { EventPublisher } from '../publisher';
import { bySize, OutboxRelay } from './outbox-relay';

const record = (n: number, bytes: number): BusRecord => ({
  topic: 't',
  key: null,
  value: Buffer.alloc(bytes, n),
  headers: {},
});

describe('publish requests of a relay batch', () => {
  it('keep the order and stay within the byte limit', () => {
    const records = Array.from({ length: 10 }, (_, i) => record(i, 100));
    const parts = bySize(records, 350);
    expect(parts.map((p) => p.length)).toEqual([3, 3, 3, 1]);
    expect(parts.flat()).toEqual(records);
  });

  it('send a record larger than the limit alone rather than not at all', () => {
    const parts = bySize([record(1, 10), record(2, 1_000), record(3, 10)], 100);
    expect(parts.map((p) => p.map((r) => r.value.length))).toEqual([[10], [1_000], [10]]);
  });

  it('count headers and keys', () => {
    const withHeaders = { ...record(1, 10), key: 'k'.repeat(40), headers: { h: 'v'.repeat(49) } };
    expect(bySize([withHeaders, withHeaders], 100)).toHaveLength(2);
    expect(bySize([withHeaders, withHeaders], 200)).toHaveLength(1);
  });
});

/**
 * The relay's loop with a database stand-in whose outbox query can be held open, so that a wake
 * or a stop can be made to land while a pass is running — a race that real PostgreSQL hits only
 * on a busy machine.
 */
type Statement = string | { name: string; text: string };

function heldPasses(rowsOfPass: (pass: number) => { position: number; topic: string }[]) {
  let pass = 0;
  let release: () => void = () => undefined;
  let held = new Promise<void>((r) => (release = r));
  const dataSource = {
    transaction: async (
      work: (manager: { query: (statement: Statement) => Promise<unknown[]> }) => Promise<number>,
    ) =>
      work({
        // The relay's statements are prepared: they arrive as node-postgres query configs.
        query: async (statement: Statement) => {
          const sql = typeof statement === 'string' ? statement : statement.text;
          if (sql.includes('pg_try_advisory_xact_lock')) return [{ locked: true }];
          if (sql.startsWith('DELETE')) return [];
          const n = ++pass;
          if (n === 1) await held;
          return rowsOfPass(n).map((r) => ({ ...r, key: 'k', headers: {}, payload: Buffer.from('v') }));
        },
      }),
  };
  return {
    dataSource: dataSource as unknown as DataSource,
    get passes() {
      return pass;
    },
    release: () => {
      release();
      held = Promise.resolve();
    },
  };
}

describe('outbox relay loop', () => {
  const received: BusRecord[] = [];
  const publisher: EventPublisher = {
    transportName: 'test',
    publishBatch: async (records) => void received.push(...records),
    isHealthy: () => true,
  };
  beforeEach(() => (received.length = 0));

  it('does not lose a wake that comes while a pass is running', async () => {
    // The first pass queried before the commit that woke the relay: it finds nothing.
    const db = heldPasses((pass) => (pass === 1 ? [] : pass === 2 ? [{ position: 1, topic: 't' }] : []));
    const relay = new OutboxRelay(db.dataSource, publisher, { schema: 's', pollIntervalMs: 60_000 });
    relay.start();
    try {
      await new Promise((r) => setTimeout(r, 20));
      relay.wake();
      db.release();
      const deadline = Date.now() + 2_000;
      while (received.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      expect(received).toHaveLength(1);
    } finally {
      await relay.stop();
    }
  });

  it('stops at once when asked during a pass, without waiting for its poll', async () => {
    const db = heldPasses(() => []);
    const relay = new OutboxRelay(db.dataSource, publisher, { schema: 's', pollIntervalMs: 60_000 });
    relay.start();
    await new Promise((r) => setTimeout(r, 20));
    const started = Date.now();
    const stopped = relay.stop();
    db.release();
    await stopped;
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(db.passes).toBe(1);
  });
});
