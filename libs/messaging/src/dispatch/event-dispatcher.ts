import { setTimeout as sleep } from 'node:timers/promises';
import type { EventCodecRegistry } from '../codec';
import {
  CeHeader,
  DeliveryHeader,
  type BusRecord,
  type ConsumedEvent,
  type ConsumedRecord,
} from '../envelope';
import { dependencyReturn } from '../dependency-return';
import { isDependencyUnavailable } from '../dependency-unavailable';
import { describeError, NonRetriableEventError } from '../errors';
import { baseTopicOf, dlqTopicOf, isRetryTopic, retryTopicOf } from '../topics';
import { withConsumerSpan } from '../tracing';

/**
 * What became of a delivery. `interrupted`: the partition stopped being this consumer's (a
 * rebalance, a shutdown) while the event waited for a dependency; its offset must not move, and
 * whoever owns the partition next gets it again.
 */
export type DispatchOutcome = 'processed' | 'retry-scheduled' | 'dead-lettered' | 'skipped' | 'interrupted';

export interface DispatcherLogger {
  info?(message: string, context?: Record<string, unknown>): void;
  warn(message: string, context?: Record<string, unknown>): void;
  error(message: string, context?: Record<string, unknown>): void;
}

/** Whether the partition being handled is still this consumer's to handle. */
export type StillAssigned = () => boolean;

export interface EventDispatcherOptions {
  /** Consumer group of this service; retries are addressed to it alone. */
  group: string;
  /** Deliveries before a failing event is dead-lettered (first attempt included). */
  maxAttempts?: number;
  /** Delay before the n-th retry (n starts at 1). */
  retryDelayMs?: (attempt: number) => number;
  codecs?: EventCodecRegistry;
  /** Produces retry and dead-letter records; must not resolve before the bus acknowledged them. */
  publish(records: BusRecord[]): Promise<void>;
  logger?: DispatcherLogger;
  onOutcome?(outcome: DispatchOutcome, topic: string, count?: number): void;
  /** How often to heartbeat while a handler runs; keeps the consumer in its group. */
  heartbeatIntervalMs?: number;
  /**
   * Waits between attempts while a dependency is unavailable: doubling from the first, capped at
   * the second (default 250 ms to 5 s). The count is unbounded while the outage lasts.
   */
  outageBackoffMs?: { initial: number; max: number };
  /** Every wait for a dependency, counted by the caller as a retry. */
  onOutageRetry?(topic: string): void;
  /** Whether this consumer is waiting for a dependency now (true at an outage's start, false at its end). */
  onOutage?(waiting: boolean): void;
}

const DEFAULT_MAX_ATTEMPTS = 4;
const MAX_RETRY_WAIT_MS = 60_000;
const defaultRetryDelay = (attempt: number) => Math.min(200 * 2 ** (attempt - 1), 30_000);
const DEFAULT_OUTAGE_BACKOFF = { initial: 250, max: 5_000 };

/** Where a delivery stands, for its log lines: never the payload, never personal data. */
interface DeliveryPlace {
  topic: string;
  partition: number;
  offset: string;
  eventId?: string;
}

type Attempted = { ok: true } | { ok: false; error: unknown } | { interrupted: true };

/**
 * The delivery policy shared by the Kafka and in-process transports: decode, run the handler with
 * heartbeats, and on failure hand the event to `<topic>.retry` (addressed to this group) or, once
 * attempts run out or the event can never succeed, to `<topic>.dlq`. One bad event never holds up
 * the ones behind it.
 *
 * A dependency that cannot answer (the database down or starting up, the broker, a gRPC service:
 * see `isDependencyUnavailable`) is no fault of the event: the partition waits instead, retrying
 * the same event with capped exponential backoff and heartbeating, for as long as the outage
 * lasts. Only poison goes to `.dlq`: an undecodable event, a `NonRetriableEventError`, or a handler
 * that keeps failing while its dependencies answer.
 */
export class EventDispatcher {
  private readonly maxAttempts: number;
  private readonly retryDelayMs: (attempt: number) => number;
  private readonly heartbeatIntervalMs: number;
  private readonly outageBackoff: { initial: number; max: number };
  /** The outage this consumer is waiting out, if any: logged once when it starts and once when it ends. */
  private outage: { since: number; waits: number } | null = null;

  constructor(private readonly options: EventDispatcherOptions) {
    this.maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    this.retryDelayMs = options.retryDelayMs ?? defaultRetryDelay;
    this.heartbeatIntervalMs = options.heartbeatIntervalMs ?? 1_000;
    this.outageBackoff = options.outageBackoffMs ?? DEFAULT_OUTAGE_BACKOFF;
  }

  /** Whether this consumer is waiting for an unavailable dependency now. */
  get waitingForDependency(): boolean {
    return this.outage !== null;
  }

  /** The topic whose handler serves a record (retry records carry the original topic). */
  static handlerTopicOf(record: Pick<ConsumedRecord, 'topic' | 'headers'>): string {
    return record.headers[DeliveryHeader.OriginalTopic] ?? baseTopicOf(record.topic);
  }

  async dispatch(
    record: ConsumedRecord,
    invoke: (event: ConsumedEvent) => Promise<void>,
    heartbeat?: () => Promise<void>,
    stillAssigned: StillAssigned = () => true,
  ): Promise<DispatchOutcome> {
    const fromRetry = isRetryTopic(record.topic);
    if (fromRetry && record.headers[DeliveryHeader.RetryGroup] !== this.options.group) {
      return this.done('skipped', record.topic);
    }
    const topic = EventDispatcher.handlerTopicOf(record);
    const previousAttempts = fromRetry ? Number(record.headers[DeliveryHeader.Attempts] ?? '0') : 0;
    if (fromRetry) await this.waitUntil(Number(record.headers[DeliveryHeader.NotBefore] ?? '0'), heartbeat);

    let event: ConsumedEvent;
    try {
      event = this.toEvent(record, topic, previousAttempts);
    } catch (error) {
      await this.deadLetter(record, topic, previousAttempts + 1, error);
      return this.done('dead-lettered', topic);
    }

    const attempt = await this.throughOutages(
      { topic, partition: event.partition, offset: event.offset, eventId: event.id },
      () =>
        withConsumerSpan(topic, record.headers, this.spanAttributes(record, event.id), () => invoke(event)),
      heartbeat,
      stillAssigned,
    );
    if ('interrupted' in attempt) return 'interrupted';
    if (attempt.ok) return this.done('processed', topic);
    const { error } = attempt;
    const attempts = previousAttempts + 1;
    if (error instanceof NonRetriableEventError || attempts >= this.maxAttempts) {
      await this.deadLetter(record, topic, attempts, error, event.id);
      return this.done('dead-lettered', topic);
    }
    await this.scheduleRetry(record, topic, attempts, error, event.id);
    return this.done('retry-scheduled', topic);
  }

  /**
   * Runs `work` (with heartbeats) until it succeeds or fails for a reason other than an
   * unavailable dependency. While a dependency is unavailable it waits, doubling the wait up to
   * the cap and heartbeating meanwhile, and tries again — unless the partition is no longer this
   * consumer's, or a heartbeat fails (the group is rebalancing, the broker is gone): then it gives
   * the delivery up unfinished, for the partition's next owner.
   */
  private async throughOutages(
    place: DeliveryPlace,
    work: () => Promise<void>,
    heartbeat: (() => Promise<void>) | undefined,
    stillAssigned: StillAssigned,
  ): Promise<Attempted> {
    for (let waits = 0; ; waits++) {
      try {
        await this.withHeartbeat(heartbeat, work);
        this.outageEnded();
        // Through after waiting: what else waits in this process may be through too.
        if (waits > 0) dependencyReturn.answered();
        return { ok: true };
      } catch (error) {
        if (!isDependencyUnavailable(error)) {
          this.outageEnded();
          return { ok: false, error };
        }
        this.outageStarted(place, error);
        this.options.onOutageRetry?.(place.topic);
        const delay = Math.min(this.outageBackoff.initial * 2 ** waits, this.outageBackoff.max);
        if (!(await this.pauseAssigned(delay, heartbeat, stillAssigned))) return { interrupted: true };
      }
    }
  }

  private outageStarted(place: DeliveryPlace, error: unknown): void {
    if (this.outage) {
      this.outage.waits++;
      return;
    }
    this.outage = { since: Date.now(), waits: 1 };
    this.options.logger?.warn('a dependency is unavailable; consumption paused until it answers', {
      ...place,
      group: this.options.group,
      error: describeError(error),
    });
    this.options.onOutage?.(true);
  }

  private outageEnded(): void {
    const outage = this.outage;
    if (!outage) return;
    this.outage = null;
    const context = { group: this.options.group, pausedMs: Date.now() - outage.since, retries: outage.waits };
    if (this.options.logger?.info)
      this.options.logger.info('dependencies answer again; consumption resumed', context);
    else this.options.logger?.warn('dependencies answer again; consumption resumed', context);
    this.options.onOutage?.(false);
  }

  /**
   * Waits `ms` heartbeating, or less when the process sees a dependency answer again
   * (`dependencyReturn`); false when the partition stopped being ours or a heartbeat failed.
   */
  private async pauseAssigned(
    ms: number,
    heartbeat: (() => Promise<void>) | undefined,
    stillAssigned: StillAssigned,
  ): Promise<boolean> {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      if (!stillAssigned()) return false;
      const woken = await dependencyReturn.wait(Math.min(deadline - Date.now(), this.heartbeatIntervalMs));
      if (heartbeat) {
        try {
          await heartbeat();
        } catch {
          return false;
        }
      }
      if (woken) break;
    }
    return stillAssigned();
  }

  /**
   * Hands a run of records from one partition to a handler that processes many events in one
   * go (one transaction, one inbox insert). Records that cannot be decoded are dead-lettered on
   * their own; while a dependency is unavailable the whole batch waits for it; if the batch fails
   * otherwise, its events are dispatched one by one so that only the failing ones are retried or
   * dead-lettered. `interrupted`: not every event was handled (the partition was taken away while
   * waiting), and none of the batch's offsets may be resolved.
   */
  async dispatchBatch(
    records: ConsumedRecord[],
    invoke: (events: ConsumedEvent[]) => Promise<void>,
    heartbeat?: () => Promise<void>,
    stillAssigned: StillAssigned = () => true,
  ): Promise<'done' | 'interrupted'> {
    const decoded: { record: ConsumedRecord; event: ConsumedEvent }[] = [];
    for (const record of records) {
      if (isRetryTopic(record.topic)) {
        const outcome = await this.dispatch(record, (event) => invoke([event]), heartbeat, stillAssigned);
        if (outcome === 'interrupted') return 'interrupted';
        continue;
      }
      const topic = EventDispatcher.handlerTopicOf(record);
      try {
        decoded.push({ record, event: this.toEvent(record, topic, 0) });
      } catch (error) {
        await this.deadLetter(record, topic, 1, error);
        this.done('dead-lettered', topic);
      }
    }
    if (decoded.length === 0) return 'done';
    const first = decoded[0].record;
    const attempt = await this.throughOutages(
      { topic: first.topic, partition: first.partition, offset: first.offset, eventId: decoded[0].event.id },
      () =>
        withConsumerSpan(
          first.topic,
          first.headers,
          {
            ...this.spanAttributes(first, decoded[0].event.id),
            'messaging.batch.message_count': decoded.length,
          },
          () => invoke(decoded.map((d) => d.event)),
        ),
      heartbeat,
      stillAssigned,
    );
    if ('interrupted' in attempt) return 'interrupted';
    if (attempt.ok) {
      // Counted per topic, not per event: a batch is thousands of events of one or two topics.
      const processed = new Map<string, number>();
      for (const d of decoded) processed.set(d.event.topic, (processed.get(d.event.topic) ?? 0) + 1);
      for (const [topic, count] of processed) this.options.onOutcome?.('processed', topic, count);
      return 'done';
    }
    for (const d of decoded) {
      const outcome = await this.dispatch(d.record, (event) => invoke([event]), heartbeat, stillAssigned);
      if (outcome === 'interrupted') return 'interrupted';
    }
    return 'done';
  }

  private spanAttributes(record: ConsumedRecord, eventId: string) {
    return {
      'messaging.consumer.group.name': this.options.group,
      'messaging.message.id': eventId,
      'messaging.destination.partition.id': record.partition,
    };
  }

  private async withHeartbeat<T>(
    heartbeat: (() => Promise<void>) | undefined,
    work: () => Promise<T>,
  ): Promise<T> {
    const beat = heartbeat
      ? setInterval(() => void heartbeat().catch(() => undefined), this.heartbeatIntervalMs)
      : null;
    try {
      return await work();
    } finally {
      if (beat) clearInterval(beat);
    }
  }

  private toEvent(record: ConsumedRecord, topic: string, previousAttempts: number): ConsumedEvent {
    const h = record.headers;
    const id = h[CeHeader.Id];
    const type = h[CeHeader.Type];
    if (!id) throw new NonRetriableEventError(`missing ${CeHeader.Id} header`);
    if (!type) throw new NonRetriableEventError(`missing ${CeHeader.Type} header`);
    let data: unknown = record.value;
    if (this.options.codecs) {
      const codec = this.options.codecs(type);
      if (!codec) throw new NonRetriableEventError(`unknown event type ${type}`);
      try {
        data = codec.decode(record.value);
      } catch (error) {
        throw new NonRetriableEventError(`undecodable ${type} payload: ${describeError(error)}`);
      }
    }
    const time = h[CeHeader.Time] ? new Date(h[CeHeader.Time]) : new Date();
    return {
      id,
      type,
      source: h[CeHeader.Source] ?? '',
      time: Number.isNaN(time.getTime()) ? new Date() : time,
      subject: h[CeHeader.Subject],
      region: h[CeHeader.Region],
      key: record.key,
      topic,
      partition: Number(h[DeliveryHeader.OriginalPartition] ?? record.partition),
      offset: h[DeliveryHeader.OriginalOffset] ?? record.offset,
      previousAttempts,
      headers: h,
      data,
      raw: record.value,
    };
  }

  private originHeaders(record: ConsumedRecord, topic: string): Record<string, string> {
    return {
      [DeliveryHeader.OriginalTopic]: topic,
      [DeliveryHeader.OriginalPartition]:
        record.headers[DeliveryHeader.OriginalPartition] ?? String(record.partition),
      [DeliveryHeader.OriginalOffset]: record.headers[DeliveryHeader.OriginalOffset] ?? record.offset,
    };
  }

  /** The fields every retry and dead-letter line carries: where the event is, never what it holds. */
  private logPlace(record: ConsumedRecord, topic: string, eventId: string | undefined) {
    return {
      topic,
      partition: Number(record.headers[DeliveryHeader.OriginalPartition] ?? record.partition),
      offset: record.headers[DeliveryHeader.OriginalOffset] ?? record.offset,
      eventId: eventId ?? record.headers[CeHeader.Id],
      group: this.options.group,
    };
  }

  private async scheduleRetry(
    record: ConsumedRecord,
    topic: string,
    attempts: number,
    error: unknown,
    eventId: string,
  ) {
    const delay = this.retryDelayMs(attempts);
    this.options.logger?.warn('event handler failed; retry scheduled', {
      ...this.logPlace(record, topic, eventId),
      attempts,
      delayMs: delay,
      error: describeError(error),
    });
    await this.options.publish([
      {
        topic: retryTopicOf(topic),
        key: record.key,
        value: record.value,
        headers: {
          ...record.headers,
          ...this.originHeaders(record, topic),
          [DeliveryHeader.RetryGroup]: this.options.group,
          [DeliveryHeader.Attempts]: String(attempts),
          [DeliveryHeader.NotBefore]: String(Date.now() + delay),
          [DeliveryHeader.Error]: describeError(error),
        },
      },
    ]);
  }

  private async deadLetter(
    record: ConsumedRecord,
    topic: string,
    attempts: number,
    error: unknown,
    eventId?: string,
  ) {
    this.options.logger?.error('event dead-lettered', {
      ...this.logPlace(record, topic, eventId),
      attempts,
      error: describeError(error),
    });
    const headers = { ...record.headers };
    delete headers[DeliveryHeader.NotBefore];
    await this.options.publish([
      {
        topic: dlqTopicOf(topic),
        key: record.key,
        value: record.value,
        headers: {
          ...headers,
          ...this.originHeaders(record, topic),
          [DeliveryHeader.RetryGroup]: this.options.group,
          [DeliveryHeader.Attempts]: String(attempts),
          [DeliveryHeader.Error]: describeError(error),
          [DeliveryHeader.FailedAt]: new Date().toISOString(),
        },
      },
    ]);
  }

  private async waitUntil(notBefore: number, heartbeat?: () => Promise<void>) {
    const deadline = Math.min(notBefore, Date.now() + MAX_RETRY_WAIT_MS);
    while (Date.now() < deadline) {
      await sleep(Math.min(deadline - Date.now(), this.heartbeatIntervalMs));
      if (heartbeat) await heartbeat().catch(() => undefined);
    }
  }

  private done(outcome: DispatchOutcome, topic: string): DispatchOutcome {
    this.options.onOutcome?.(outcome, topic);
    return outcome;
  }
}
