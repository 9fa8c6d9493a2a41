import { Controller, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventPattern, Payload } from '@nestjs/microservices';
import { trace } from '@opentelemetry/api';
import { startTracing } from '@safecity/observability/tracing';
import { describeKafka, eventually } from '@safecity/testing';
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { CeHeader, cloudEventHeaders, DeliveryHeader, type ConsumedEvent } from '../src/envelope';
import { DeadLetterAdmin } from '../src/dlq/dead-letters';
import { EventErrorPassthroughFilter, eventConsumerStrategy } from '../src/event-transport';
import { KafkaEventClient } from '../src/kafka/kafka-event.client';
import { NonRetriableEventError } from '../src/errors';
import { currentTraceHeaders } from '../src/tracing';

const TOPIC = `safecity.transport-test-${randomUUID().slice(0, 8)}.v1`;
const BATCH_TOPIC = `safecity.transport-batch-${randomUUID().slice(0, 8)}.v1`;
const FETCH_TOPIC = `safecity.transport-fetch-${randomUUID().slice(0, 8)}.v1`;
const TYPE = 'kz.safecity.test.v1.ThingChanged';

/** The handler's behaviour is steered per key, so one suite can exercise every path. */
const behaviour = {
  failUntilFlag: new Set<string>(),
  flag: false,
  transientFailures: new Map<string, number>(),
  slowMs: new Map<string, number>(),
};
const handled: ConsumedEvent<{ n: number }>[] = [];
const batchCalls: number[] = [];
const batchHandled: ConsumedEvent<{ n: number }>[] = [];
/** The events of each call of the whole-fetch handler; a call with a `hold` event takes 1.5 s. */
const fetchCalls: ConsumedEvent<{ n: number }>[][] = [];
const fetchHold = { started: false };

@Controller()
class ThingsConsumer {
  @EventPattern(TOPIC)
  async onThing(@Payload() event: ConsumedEvent<{ n: number }>) {
    const key = event.key ?? '';
    if (behaviour.failUntilFlag.has(key) && !behaviour.flag) throw new Error(`store for ${key} unavailable`);
    const left = behaviour.transientFailures.get(key) ?? 0;
    if (left > 0) {
      behaviour.transientFailures.set(key, left - 1);
      throw new Error('transient');
    }
    if (event.data.n < 0) throw new NonRetriableEventError('negative n is invalid');
    const slow = behaviour.slowMs.get(key);
    if (slow) await new Promise((r) => setTimeout(r, slow));
    handled.push(event);
  }

  @EventPattern(BATCH_TOPIC, { batch: true })
  async onThings(@Payload() events: ConsumedEvent<{ n: number }>[]) {
    // One bad event fails the whole call, as a failed transaction would.
    if (events.some((e) => e.data.n === 13)) throw new Error('unlucky event in batch');
    batchCalls.push(events.length);
    batchHandled.push(...events);
  }

  @EventPattern(FETCH_TOPIC, { batch: true, acrossPartitions: true })
  async onFetchedThings(@Payload() events: ConsumedEvent<{ n: number }>[]) {
    if (events.some((e) => e.data.n === 13)) throw new Error('unlucky event in batch');
    if (events.some((e) => e.key === 'hold')) {
      fetchHold.started = true;
      await new Promise((r) => setTimeout(r, 1_500));
    }
    fetchCalls.push(events);
  }
}

const jsonCodec = (type: string) =>
  type === TYPE ? { decode: (b: Uint8Array) => JSON.parse(Buffer.from(b).toString('utf8')) } : undefined;

describeKafka('Kafka transport (real broker)', (brokers) => {
  let consumer: INestMicroservice;
  let producer: KafkaEventClient;
  let groupJoins = 0;

  const record = (topic: string, key: string, n: number | string, extra: Record<string, string> = {}) => {
    const id = randomUUID();
    const value = typeof n === 'string' ? Buffer.from(n) : Buffer.from(JSON.stringify({ n }));
    return {
      id,
      record: {
        topic,
        key,
        value,
        headers: cloudEventHeaders({ topic, key, type: TYPE, payload: value, id }, '/test', extra),
      },
    };
  };
  const publish = async (key: string, n: number | string, extra: Record<string, string> = {}) => {
    const { id, record: r } = record(TOPIC, key, n, extra);
    await producer.publishBatch([r]);
    return id;
  };

  beforeAll(async () => {
    startTracing({ serviceName: 'messaging-test' });
    producer = new KafkaEventClient({ brokers: brokers(), clientId: 'transport-test' });
    const strategy = eventConsumerStrategy({
      serviceName: 'transport-test',
      transport: { kind: 'kafka', connection: { brokers: brokers(), clientId: 'transport-test' } },
      codecs: jsonCodec,
      maxAttempts: 3,
      retryDelayMs: () => 100,
      partitionsConsumedConcurrently: 3,
      // The broker's minimum; the slow-handler test runs longer than this.
      sessionTimeoutMs: 6_000,
    });
    consumer = await NestFactory.createMicroservice(
      { module: class TestModule {}, controllers: [ThingsConsumer] } as never,
      { ...strategy, logger: false },
    );
    consumer.useGlobalFilters(new EventErrorPassthroughFilter());
    const server = strategy.strategy as unknown as {
      consumer: { on(e: string, f: () => void): void } | null;
    };
    await consumer.listen();
    server.consumer?.on('consumer.group_join', () => groupJoins++);
    // The group has joined once the first event comes through.
    await publish('warm-up', 0);
    await eventually(() => handled.some((e) => e.key === 'warm-up'), {
      timeoutMs: 30_000,
      message: 'warm-up',
    });
  }, 60_000);

  afterAll(async () => {
    await consumer?.close();
    await producer?.close();
  });

  it('delivers CloudEvents attributes, the decoded value and the producer trace to the handler', async () => {
    const tracer = trace.getTracer('test');
    let traceId = '';
    let id = '';
    await tracer.startActiveSpan('register camera', async (span) => {
      traceId = span.spanContext().traceId;
      id = await publish('cam-trace', 1, currentTraceHeaders());
      span.end();
    });
    const event = await eventually(() => handled.find((e) => e.id === id), { message: 'traced event' });
    expect(event).toMatchObject({
      type: TYPE,
      source: '/test',
      key: 'cam-trace',
      data: { n: 1 },
      topic: TOPIC,
    });
    expect(event.headers[CeHeader.ContentType]).toBe('application/protobuf');
    expect(event.headers.traceparent).toContain(traceId);
  });

  it('keeps per-key order while partitions are consumed concurrently', async () => {
    const keys = ['k-a', 'k-b', 'k-c', 'k-d', 'k-e', 'k-f'];
    for (let n = 1; n <= 20; n++) for (const key of keys) await publish(key, n);
    await eventually(() => keys.every((k) => handled.filter((e) => e.key === k).length === 20), {
      timeoutMs: 30_000,
      message: '120 events',
    });
    for (const key of keys) {
      expect(handled.filter((e) => e.key === key).map((e) => e.data.n)).toEqual(
        Array.from({ length: 20 }, (_, i) => i + 1),
      );
    }
    expect(
      new Set(handled.filter((e) => keys.includes(e.key ?? '')).map((e) => e.partition)).size,
    ).toBeGreaterThan(1);
  });

  it('sends a poison message to .dlq while the messages behind it on its partition are processed', async () => {
    await publish('poison-key', '{not json');
    const after = [await publish('poison-key', 5), await publish('poison-key', 6)];
    await eventually(() => after.every((id) => handled.some((e) => e.id === id)), {
      message: 'events after poison',
    });
    const letters = await eventually(
      async () => {
        const list = await new DeadLetterAdmin({ brokers: brokers(), clientId: 'dlq-test' }).list(
          `${TOPIC}.dlq`,
        );
        return list.find((l) => l.key === 'poison-key') ? list : null;
      },
      { message: 'poison in dlq' },
    );
    const poison = letters.find((l) => l.key === 'poison-key')!;
    expect(poison.originalTopic).toBe(TOPIC);
    expect(poison.originalPartition).toBeGreaterThanOrEqual(0);
    expect(poison.originalOffset).toMatch(/^\d+$/);
    expect(poison.error).toContain('undecodable');
    expect(poison.attempts).toBe(1);
    expect(poison.consumerGroup).toBe('safecity.transport-test');
    expect(poison.value.toString()).toBe('{not json');
  });

  it('retries a transient failure through <topic>.retry and then processes it', async () => {
    behaviour.transientFailures.set('flaky', 2);
    const id = await publish('flaky', 7);
    const event = await eventually(() => handled.find((e) => e.id === id), {
      timeoutMs: 20_000,
      message: 'retried event',
    });
    expect(event.previousAttempts).toBe(2);
    expect(event.topic).toBe(TOPIC);
  });

  it('dead-letters after N attempts; a replay after the fix processes it once', async () => {
    behaviour.failUntilFlag.add('broken');
    const id = await publish('broken', 8);
    const admin = new DeadLetterAdmin({ brokers: brokers(), clientId: 'dlq-test' });
    const letter = await eventually(
      async () => (await admin.list(`${TOPIC}.dlq`)).find((l) => l.headers[CeHeader.Id] === id),
      { timeoutMs: 20_000, message: 'dead letter' },
    );
    expect(letter.attempts).toBe(3);
    expect(letter.error).toBe('Error: store for broken unavailable');
    expect(letter.headers[DeliveryHeader.FailedAt]).toBeTruthy();
    expect(handled.some((e) => e.id === id)).toBe(false);

    behaviour.flag = true;
    const replayed = await admin.replay(`${TOPIC}.dlq`, { select: (l) => l.key === 'broken' });
    expect(replayed.map((l) => l.headers[CeHeader.Id])).toEqual([id]);
    await eventually(() => handled.some((e) => e.id === id), { message: 'replayed event' });
    expect(await admin.replay(`${TOPIC}.dlq`)).toEqual([]);
    expect(handled.filter((e) => e.id === id)).toHaveLength(1);
  });

  it('dead-letters a NonRetriableEventError at once', async () => {
    const id = await publish('invalid', -1);
    const admin = new DeadLetterAdmin({ brokers: brokers(), clientId: 'dlq-test' });
    const letter = await eventually(
      async () => (await admin.list(`${TOPIC}.dlq`)).find((l) => l.headers[CeHeader.Id] === id),
      { message: 'dead letter' },
    );
    expect(letter.attempts).toBe(1);
  });

  it('keeps its group membership through a handler longer than the session timeout', async () => {
    const joinsBefore = groupJoins;
    behaviour.slowMs.set('slow', 8_000);
    const id = await publish('slow', 9);
    await eventually(() => handled.some((e) => e.id === id), { timeoutMs: 20_000, message: 'slow event' });
    // An evicted member only notices at its next commit or fetch; let one more event go through.
    const next = await publish('after-slow', 10);
    await eventually(() => handled.some((e) => e.id === next), {
      timeoutMs: 20_000,
      message: 'event after slow one',
    });
    expect(handled.filter((e) => e.id === id)).toHaveLength(1);
    expect(groupJoins).toBe(joinsBefore);
  }, 30_000);

  it('hands a batch handler many events per call, in partition order', async () => {
    const made = Array.from({ length: 300 }, (_, i) => record(BATCH_TOPIC, `b-${i % 4}`, i + 100));
    await producer.publishBatch(made.map((m) => m.record));
    await eventually(() => made.every((m) => batchHandled.some((e) => e.id === m.id)), {
      timeoutMs: 20_000,
      message: '300 batched events',
    });
    expect(Math.max(...batchCalls)).toBeGreaterThan(1);
    for (let k = 0; k < 4; k++) {
      const ns = batchHandled.filter((e) => e.key === `b-${k}`).map((e) => e.data.n);
      expect(ns).toEqual([...ns].sort((a, b) => a - b));
    }
  });

  it('hands a whole-fetch batch handler the batches of all partitions of one fetch in one call', async () => {
    // While a call holds the consumer, events pile up on every partition; the next fetch brings
    // them all, and they come in one call (one transaction for the service), in partition order.
    await producer.publishBatch([record(FETCH_TOPIC, 'hold', 1).record]);
    await eventually(() => fetchHold.started, { timeoutMs: 20_000, message: 'the holding call started' });
    const made = Array.from({ length: 60 }, (_, i) => record(FETCH_TOPIC, `spread-${i % 20}`, i + 1_000));
    await producer.publishBatch(made.map((m) => m.record));
    const ids = new Set<string>(made.map((m) => m.id));
    const handledIds = () => new Set(fetchCalls.flat().map((e) => e.id));
    await eventually(() => made.every((m) => handledIds().has(m.id)), {
      timeoutMs: 20_000,
      message: '60 events spread over the partitions',
    });
    const calls = fetchCalls.filter((events) => events.some((e) => ids.has(e.id)));
    expect(calls).toHaveLength(1);
    const partitions = new Set(calls[0].map((e) => e.partition));
    expect(partitions.size).toBeGreaterThan(1);
    for (let k = 0; k < 20; k++) {
      const ns = calls[0].filter((e) => e.key === `spread-${k}`).map((e) => e.data.n);
      expect(ns).toEqual([...ns].sort((a, b) => a - b));
    }
  }, 30_000);

  it('falls back to single events when a whole-fetch call fails', async () => {
    const made = [2_001, 13, 2_002, 2_003, 2_004, 2_005].map((n) => record(FETCH_TOPIC, `mixed-${n}`, n));
    await producer.publishBatch(made.map((m) => m.record));
    const good = made.filter((_, i) => i !== 1);
    await eventually(() => good.every((m) => fetchCalls.flat().some((e) => e.id === m.id)), {
      timeoutMs: 20_000,
      message: 'good events of the failed call',
    });
    const admin = new DeadLetterAdmin({ brokers: brokers(), clientId: 'dlq-fetch-test' });
    await eventually(
      async () => (await admin.list(`${FETCH_TOPIC}.dlq`)).find((l) => l.headers[CeHeader.Id] === made[1].id),
      { timeoutMs: 20_000, message: 'bad event dead-lettered' },
    );
    for (const m of good) expect(fetchCalls.flat().filter((e) => e.id === m.id)).toHaveLength(1);
  }, 30_000);

  it('falls back to single events when a batch fails: the good ones pass, the bad one is dead-lettered', async () => {
    const made = [
      record(BATCH_TOPIC, 'mixed', 1),
      record(BATCH_TOPIC, 'mixed', 13),
      record(BATCH_TOPIC, 'mixed', 2),
    ];
    await producer.publishBatch(made.map((m) => m.record));
    await eventually(() => [made[0], made[2]].every((m) => batchHandled.some((e) => e.id === m.id)), {
      message: 'good events of the failed batch',
    });
    const admin = new DeadLetterAdmin({ brokers: brokers(), clientId: 'dlq-test' });
    const letter = await eventually(
      async () => (await admin.list(`${BATCH_TOPIC}.dlq`)).find((l) => l.headers[CeHeader.Id] === made[1].id),
      { timeoutMs: 20_000, message: 'bad event dead-lettered' },
    );
    expect(letter.attempts).toBe(3);
    expect(batchHandled.filter((e) => e.id === made[0].id)).toHaveLength(1);
  });

  it('writes with acks=all, leaving retries of whole batches to itself rather than to kafkajs', async () => {
    const kafka = new Kafka({ brokers: brokers().split(','), logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    const groups = await admin.describeGroups(['safecity.transport-test']);
    await admin.disconnect();
    expect(groups.groups[0].state).toBe('Stable');
    const options = (
      producer as unknown as {
        options: { producer: { idempotent: boolean; retry: { retries: number } }; send: { acks: number } };
      }
    ).options;
    // kafkajs' idempotence and in-call retries can acknowledge unwritten records (acknowledged-send.ts).
    expect(options.producer).toMatchObject({ idempotent: false, retry: { retries: 0 } });
    expect(options.send.acks).toBe(-1);
  });
});
