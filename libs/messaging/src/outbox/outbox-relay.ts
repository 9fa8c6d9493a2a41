import { preparedQuery } from '@safecity/persistence';
import type { DataSource } from 'typeorm';
import type { BusRecord } from '../envelope';
import { describeError } from '../errors';
import type { EventPublisher } from '../publisher';
import { withProducerSpan } from '../tracing';
import { OUTBOX_BATCH_HEADER, unpackEvents } from './outbox-batch';

export interface OutboxRelayOptions {
  /** Name used for the relay's lock; one relay per schema publishes at a time. */
  schema: string;
  batchSize?: number;
  /**
   * Bytes of values and headers per publish request (default 512 KiB): a batch above it goes out
   * as several requests, one after the other, before its rows are deleted. Kafka refuses a record
   * batch above the broker's `message.max.bytes` (1 MiB by default), and a refused batch would be
   * retried forever.
   */
  maxRequestBytes?: number;
  pollIntervalMs?: number;
  /**
   * The least time from the start of one publishing pass to the next while events trickle in
   * (default 0): those committed meanwhile go out together, in one transaction and one request,
   * rather than a pass for each commit. A pass that filled its batch is followed at once.
   */
  lingerMs?: number;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  logger?: { warn(message: string, context?: Record<string, unknown>): void };
  onPublished?(count: number): void;
}

/** What a service controls of its relay, wherever the relay runs. */
export interface OutboxRelayControl {
  start(): void;
  stop(): Promise<void>;
  /** Something was committed to the outbox: look now rather than at the next poll. */
  wake(): void;
  readonly healthy: boolean;
  readonly failure: string | null;
}

interface OutboxRow {
  position: string;
  topic: string;
  key: string;
  headers: Record<string, string>;
  payload: Buffer;
}

/**
 * Publishes outbox rows in the order they were written. Rows are deleted only in the transaction
 * that saw the bus acknowledge them; a crash in between republishes them, and consumers drop the
 * duplicate by event id. While the bus is down the relay backs off exponentially and resumes by
 * itself. A transaction-scoped advisory lock keeps a second instance from interleaving batches,
 * which would break per-key order.
 */
export class OutboxRelay implements OutboxRelayControl {
  private running = false;
  private loop: Promise<void> | null = null;
  private wakeUp: (() => void) | null = null;
  /** Ends a linger early, for `stop`. */
  private stopLinger: (() => void) | null = null;
  /** A wake that came while a pass was running: the next pause is skipped, not the commit. */
  private woken = false;
  private consecutiveFailures = 0;
  private lastError: string | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly publisher: EventPublisher,
    private readonly options: OutboxRelayOptions,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Stops after the batch in flight; what is left stays in the outbox for the next start. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    this.stopLinger?.();
    await this.loop;
    this.loop = null;
  }

  wake(): void {
    if (this.wakeUp) this.wakeUp();
    else this.woken = true;
  }

  private get batchSize(): number {
    return this.options.batchSize ?? 500;
  }

  get healthy(): boolean {
    return this.consecutiveFailures === 0;
  }

  get failure(): string | null {
    return this.lastError;
  }

  /**
   * Publishes one batch of up to `batchSize` events (at least one row, however many events it
   * packs); returns how many events went out.
   */
  async relayOnce(): Promise<number> {
    const batchSize = this.batchSize;
    return this.dataSource.transaction(async (manager) => {
      const [{ locked }] = await preparedQuery<{ locked: boolean }[]>(
        manager,
        'SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked',
        [`outbox:${this.options.schema}`],
      );
      if (!locked) return 0;
      // Rows in order while the events before them fit the batch: a packed row counts as many.
      const rows = await preparedQuery<OutboxRow[]>(
        manager,
        `SELECT position, topic, key, headers, payload FROM (
           SELECT position, topic, key, headers, payload, events,
                  sum(events) OVER (ORDER BY position) - events AS before
           FROM (SELECT o.*, coalesce((o.headers->>'${OUTBOX_BATCH_HEADER}')::int, 1) AS events
                 FROM outbox o ORDER BY position LIMIT $1) o) r
         WHERE before = 0 OR before + events <= $1
         ORDER BY position`,
        [batchSize],
      );
      if (rows.length === 0) return 0;
      const records: BusRecord[] = [];
      for (const r of rows) {
        if (r.headers[OUTBOX_BATCH_HEADER] !== undefined) {
          for (const record of unpackEvents(r.topic, r.headers, r.payload)) records.push(record);
        } else records.push({ topic: r.topic, key: r.key, value: r.payload, headers: r.headers });
      }
      await withProducerSpan('outbox publish', rows[0].headers, async () => {
        for (const part of bySize(records, this.options.maxRequestBytes ?? 512 * 1024)) {
          await this.publisher.publishBatch(part);
        }
      });
      await preparedQuery(manager, 'DELETE FROM outbox WHERE position = ANY($1::bigint[])', [
        rows.map((r) => r.position),
      ]);
      return records.length;
    });
  }

  private async run() {
    const poll = this.options.pollIntervalMs ?? 100;
    const initialBackoff = this.options.initialBackoffMs ?? 200;
    // Short enough that a bus that returns is published to within seconds.
    const maxBackoff = this.options.maxBackoffMs ?? 5_000;
    const linger = this.options.lingerMs ?? 0;
    const batchSize = this.batchSize;
    while (this.running) {
      const passStartedAt = performance.now();
      let published = 0;
      try {
        published = await this.relayOnce();
        if (this.consecutiveFailures > 0) {
          this.options.logger?.warn('outbox relay publishing again', {
            schema: this.options.schema,
            failures: this.consecutiveFailures,
          });
        }
        this.consecutiveFailures = 0;
        this.lastError = null;
        if (published > 0) this.options.onPublished?.(published);
      } catch (error) {
        this.consecutiveFailures++;
        this.lastError = describeError(error);
        const backoff = Math.min(initialBackoff * 2 ** (this.consecutiveFailures - 1), maxBackoff);
        // Once per outage, not once per attempt: the rows wait, nothing is lost meanwhile.
        if (this.consecutiveFailures === 1) {
          this.options.logger?.warn('outbox relay could not publish; retrying until it can', {
            schema: this.options.schema,
            error: this.lastError,
          });
        }
        await this.pause(backoff);
        continue;
      }
      if (published === 0) await this.pause(poll);
      else if (linger > 0 && published < batchSize) await this.lingerUntil(passStartedAt + linger);
    }
  }

  /** Waits until `at` (a `performance.now()` time) unless stopped; wakes meanwhile are kept. */
  private lingerUntil(at: number): Promise<void> {
    const ms = at - performance.now();
    if (ms <= 0 || !this.running) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.stopLinger = null;
        resolve();
      }, ms);
      this.stopLinger = () => {
        clearTimeout(timer);
        this.stopLinger = null;
        resolve();
      };
    });
  }

  /**
   * Waits `ms`, or until woken. A plain timer rather than an aborted sleep: the relay is woken
   * after every commit, and an abort builds an error with a stack trace each time.
   */
  private pause(ms: number): Promise<void> {
    // Woken during the pass (its query may have run before the commit that woke it), or stopped.
    if (this.woken || !this.running) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeUp = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeUp = done;
    });
  }
}

/** Consecutive runs of records of at most `limit` bytes each (a larger record alone). */
export function bySize(records: BusRecord[], limit: number): BusRecord[][] {
  const parts: BusRecord[][] = [];
  let part: BusRecord[] = [];
  let bytes = 0;
  for (const record of records) {
    let size = record.value.length + (record.key?.length ?? 0);
    for (const name in record.headers) size += name.length + record.headers[name]!.length;
    if (part.length > 0 && bytes + size > limit) {
      parts.push(part);
      part = [];
      bytes = 0;
    }
    part.push(record);
    bytes += size;
  }
  if (part.length > 0) parts.push(part);
  return parts;
}
