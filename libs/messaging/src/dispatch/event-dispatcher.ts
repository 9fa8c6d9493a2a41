import { setTimeout as sleep } from 'node:timers/promises';
import type { EventCodecRegistry } from '../codec';
import {
  CeHeader,
  DeliveryHeader,
  type BusRecord,
  type ConsumedEvent,
  type ConsumedRecord,
} from '../envelope';
import { describeError, NonRetriableEventError } from '../errors';
import { baseTopicOf, dlqTopicOf, isRetryTopic, retryTopicOf } from '../topics';
import { withConsumerSpan } from '../tracing';

export type DispatchOutcome = 'processed' | 'retry-scheduled' | 'dead-lettered' | 'skipped';

export interface DispatcherLogger {
  warn(message: string, context?: Record<string, unknown>): void;
  error(message: string, context?: Record<string, unknown>): void;
}

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
}

const DEFAULT_MAX_ATTEMPTS = 4;
const MAX_RETRY_WAIT_MS = 60_000;
const defaultRetryDelay = (attempt: number) => Math.min(200 * 2 ** (attempt - 1), 30_000);

/**
 * The delivery policy shared by the Kafka and in-process transports: decode, run the handler with
 * heartbeats, and on failure hand the event to `<topic>.retry` (addressed to this group) or, once
 * attempts run out or the event can never succeed, to `<topic>.dlq`. The partition itself always
 * moves on, so one bad event never holds up the ones behind it.
 */
export class EventDispatcher {
  private readonly maxAttempts: number;
  private readonly retryDelayMs: (attempt: number) => number;
  private readonly heartbeatIntervalMs: number;

  constructor(private readonly options: EventDispatcherOptions) {
    this.maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    this.retryDelayMs = options.retryDelayMs ?? defaultRetryDelay;
    this.heartbeatIntervalMs = options.heartbeatIntervalMs ?? 1_000;
  }

  /** The topic whose handler serves a record (retry records carry the original topic). */
  static handlerTopicOf(record: Pick<ConsumedRecord, 'topic' | 'headers'>): string {
    return record.headers[DeliveryHeader.OriginalTopic] ?? baseTopicOf(record.topic);
  }

  async dispatch(
    record: ConsumedRecord,
    invoke: (event: ConsumedEvent) => Promise<void>,
    heartbeat?: () => Promise<void>,
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

    try {
      await this.withHeartbeat(heartbeat, () =>
        withConsumerSpan(topic, record.headers, this.spanAttributes(record, event.id), () => invoke(event)),
      );
      return this.done('processed', topic);
    } catch (error) {
      const attempts = previousAttempts + 1;
      if (error instanceof NonRetriableEventError || attempts >= this.maxAttempts) {
        await this.deadLetter(record, topic, attempts, error);
        return this.done('dead-lettered', topic);
      }
      await this.scheduleRetry(record, topic, attempts, error);
      return this.done('retry-scheduled', topic);
    }
  }

  /**
   * Hands a run of records from one partition to a handler that processes many events in one
   * go (one transaction, one inbox insert). Records that cannot be decoded are dead-lettered on
   * their own; if the batch fails, its events are dispatched one by one so that only the failing
   * ones are retried or dead-lettered.
   */
  async dispatchBatch(
    records: ConsumedRecord[],
    invoke: (events: ConsumedEvent[]) => Promise<void>,
    heartbeat?: () => Promise<void>,
  ): Promise<void> {
    const decoded: { record: ConsumedRecord; event: ConsumedEvent }[] = [];
    for (const record of records) {
      if (isRetryTopic(record.topic)) {
        await this.dispatch(record, (event) => invoke([event]), heartbeat);
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
    if (decoded.length === 0) return;
    const first = decoded[0].record;
    try {
      await this.withHeartbeat(heartbeat, () =>
        withConsumerSpan(
          first.topic,
          first.headers,
          {
            ...this.spanAttributes(first, decoded[0].event.id),
            'messaging.batch.message_count': decoded.length,
          },
          () => invoke(decoded.map((d) => d.event)),
        ),
      );
      // Counted per topic, not per event: a batch is thousands of events of one or two topics.
      const processed = new Map<string, number>();
      for (const d of decoded) processed.set(d.event.topic, (processed.get(d.event.topic) ?? 0) + 1);
      for (const [topic, count] of processed) this.options.onOutcome?.('processed', topic, count);
    } catch {
      for (const d of decoded) await this.dispatch(d.record, (event) => invoke([event]), heartbeat);
    }
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

  private async scheduleRetry(record: ConsumedRecord, topic: string, attempts: number, error: unknown) {
    const delay = this.retryDelayMs(attempts);
    this.options.logger?.warn('event handler failed; retry scheduled', {
      topic,
      offset: record.offset,
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

  private async deadLetter(record: ConsumedRecord, topic: string, attempts: number, error: unknown) {
    this.options.logger?.error('event dead-lettered', {
      topic,
      partition: record.partition,
      offset: record.offset,
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
