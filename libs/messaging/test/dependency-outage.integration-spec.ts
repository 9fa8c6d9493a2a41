import { Controller, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventPattern, Payload } from '@nestjs/microservices';
import { createServiceDataSource, migrateServiceSchema, UnitOfWork } from '@safecity/persistence';
import { createTestDatabase, describeKafka, eventually, TcpOutageProxy } from '@safecity/testing';
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import type { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { cloudEventHeaders, type ConsumedEvent } from '../src/envelope';
import { EventErrorPassthroughFilter, eventConsumerStrategy } from '../src/event-transport';
import { Inbox } from '../src/inbox/inbox';
import { KafkaEventClient } from '../src/kafka/kafka-event.client';
import { dependencyReturn } from '../src/dependency-return';
import { createMessagingTables } from '../src/migrations';
import { dlqTopicOf } from '../src/topics';

const SCHEMA = 'outage_test';
const TOPIC = `safecity.outage-single-${randomUUID().slice(0, 8)}.v1`;
const BATCH_TOPIC = `safecity.outage-batch-${randomUUID().slice(0, 8)}.v1`;
const TYPE = 'kz.safecity.test.v1.ThingSeen';
const EVENTS_PER_TOPIC = 30;

class OutageTables1700000000000 implements MigrationInterface {
  name = 'OutageTables1700000000000';
  async up(q: QueryRunner) {
    await createMessagingTables(q, SCHEMA);
    await q.query(`CREATE TABLE "${SCHEMA}".seen (event_id text NOT NULL, topic text NOT NULL)`);
  }
  async down() {}
}

/** The handlers' database, reached through the proxy the test cuts. */
const store: { inbox?: Inbox } = {};

@Controller()
class SeenConsumer {
  @EventPattern(TOPIC)
  async onSeen(@Payload() event: ConsumedEvent) {
    await store.inbox!.once(event, (m) =>
      m.query('INSERT INTO seen (event_id, topic) VALUES ($1, $2)', [event.id, event.topic]),
    );
  }

  @EventPattern(BATCH_TOPIC, { batch: true })
  async onSeenMany(@Payload() events: ConsumedEvent[]) {
    await store.inbox!.onceEach(events, (m, fresh) =>
      m.query('INSERT INTO seen (event_id, topic) SELECT * FROM unnest($1::text[], $2::text[])', [
        fresh.map((e) => e.id),
        fresh.map((e) => e.topic),
      ]),
    );
  }
}

const codecs = (type: string) => (type === TYPE ? { decode: (b: Uint8Array) => Buffer.from(b) } : undefined);

/*
 * The database of a consumer goes away while events arrive — first refusing connections, then
 * answering "the database system is starting up" as PostgreSQL does while it recovers — for about
 * ten seconds, far longer than the retries a bad event gets. The consumer waits for it, and once it
 * answers every event is handled exactly once, with nothing dead-lettered.
 */
describeKafka('a database outage under a Kafka consumer (real PostgreSQL and broker)', (brokers) => {
  let db: { url: string; drop(): Promise<void> };
  let proxy: TcpOutageProxy;
  let ds: DataSource;
  let consumer: INestMicroservice;
  let producer: KafkaEventClient;
  let admin: Admin;
  const lines: { level: string; message: string; context?: Record<string, unknown> }[] = [];
  const outage: boolean[] = [];
  let waits = 0;
  let removeProbe: (() => void) | undefined;

  const publish = (topic: string, n: number) => {
    const id = randomUUID();
    const value = Buffer.from(`seen-${n}`);
    return producer.publishBatch([
      {
        topic,
        key: `camera-${n % 5}`,
        value,
        headers: cloudEventHeaders(
          { topic, key: `camera-${n % 5}`, type: TYPE, payload: value, id },
          '/test',
        ),
      },
    ]);
  };
  const seen = async (topic: string) =>
    Number((await ds.query('SELECT count(DISTINCT event_id) AS n FROM seen WHERE topic = $1', [topic]))[0].n);
  const dead = async (topic: string) =>
    (await admin.fetchTopicOffsets(dlqTopicOf(topic))).reduce((sum, p) => sum + Number(p.high), 0);

  beforeAll(async () => {
    db = await createTestDatabase('outage');
    proxy = TcpOutageProxy.forUrl(db.url);
    await proxy.start();
    ds = createServiceDataSource({
      url: proxy.through(db.url),
      schema: SCHEMA,
      entities: [],
      migrations: [OutageTables1700000000000],
    });
    await ds.initialize();
    await migrateServiceSchema(ds);
    store.inbox = new Inbox(new UnitOfWork(ds), 'safecity.outage-test');
    // As MessagingModule's DatabaseReturnProbe does in a service.
    removeProbe = dependencyReturn.addProbe(() => ds.query('SELECT 1'));

    producer = new KafkaEventClient({ brokers: brokers(), clientId: 'outage-test' });
    admin = new Kafka({ brokers: brokers().split(','), logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    const log = (level: string) => (message: string, context?: Record<string, unknown>) =>
      lines.push({ level, message, context });
    // The platform's defaults for attempts and delays: what a service runs with.
    const strategy = eventConsumerStrategy({
      serviceName: `outage-test-${randomUUID().slice(0, 8)}`,
      transport: { kind: 'kafka', connection: { brokers: brokers(), clientId: 'outage-test' } },
      codecs,
      sessionTimeoutMs: 6_000,
      logger: { info: log('info'), warn: log('warn'), error: log('error') },
      onOutage: (waiting) => outage.push(waiting),
      onOutageRetry: () => waits++,
    });
    consumer = await NestFactory.createMicroservice(
      { module: class OutageTestModule {}, controllers: [SeenConsumer] } as never,
      { ...strategy, logger: false },
    );
    consumer.useGlobalFilters(new EventErrorPassthroughFilter());
    await consumer.listen();
    await publish(TOPIC, -1);
    await publish(BATCH_TOPIC, -1);
    await eventually(async () => (await seen(TOPIC)) === 1 && (await seen(BATCH_TOPIC)) === 1, {
      timeoutMs: 30_000,
      message: 'the consumer to join and handle the first events',
    });
  }, 60_000);

  afterAll(async () => {
    removeProbe?.();
    await consumer?.close();
    await producer?.close();
    await admin?.disconnect();
    await ds?.destroy();
    await proxy?.stop();
    await db?.drop();
  });

  it('waits out the outage and then handles every event once, dead-lettering none', async () => {
    await proxy.cut('refuse');
    for (let n = 0; n < EVENTS_PER_TOPIC; n++) {
      await publish(TOPIC, n);
      await publish(BATCH_TOPIC, n);
      if (n % 10 === 9) await new Promise((r) => setTimeout(r, 1_000));
    }
    await new Promise((r) => setTimeout(r, 3_000));
    await proxy.cut('starting-up');
    await new Promise((r) => setTimeout(r, 4_000));
    const whileCut = [...outage];
    // Just after a failed attempt: by now the consumers' back-off has grown to seconds.
    const waitsBefore = waits;
    await eventually(() => waits > waitsBefore, { timeoutMs: 10_000, message: 'another attempt refused' });
    await new Promise((r) => setTimeout(r, 300));
    await proxy.restore();
    const restoredAt = Date.now();

    await eventually(
      async () =>
        (await seen(TOPIC)) === EVENTS_PER_TOPIC + 1 && (await seen(BATCH_TOPIC)) === EVENTS_PER_TOPIC + 1,
      { timeoutMs: 30_000, intervalMs: 50, message: 'every event handled after the database returned' },
    );
    // Woken by the database's return rather than at the end of each back-off.
    const handledAfterMs = Date.now() - restoredAt;
    process.stdout.write(`every event handled ${handledAfterMs} ms after the database returned\n`);
    expect(handledAfterMs).toBeLessThan(2_000);
    expect(await dead(TOPIC)).toBe(0);
    expect(await dead(BATCH_TOPIC)).toBe(0);
    expect(whileCut).toEqual([true]);
    // Handled once: the inbox holds each id once and so does the effect.
    const [{ rows, ids }] = await ds.query(
      'SELECT count(*) AS rows, count(DISTINCT event_id) AS ids FROM seen',
    );
    expect(Number(rows)).toBe(Number(ids));
    // One line when the outage began, one when it ended; the waits are counted, not logged.
    await eventually(() => outage.length === 2, { message: 'the end of the outage reported' });
    expect(outage).toEqual([true, false]);
    expect(waits).toBeGreaterThan(3);
    const outageLines = lines.filter((l) => /dependency is unavailable|answer again/.test(l.message));
    expect(outageLines.map((l) => l.level)).toEqual(['warn', 'info']);
    expect(outageLines[0].context).toEqual(
      expect.objectContaining({
        topic: expect.any(String),
        partition: expect.any(Number),
        group: expect.any(String),
      }),
    );
    expect(lines.filter((l) => /dead-lettered|retry scheduled/.test(l.message))).toEqual([]);
  }, 60_000);
});
