import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Consumer, type KafkaMessage } from 'kafkajs';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createServiceDataSource, migrateServiceSchema, UnitOfWork } from '@safecity/persistence';
import { createTestDatabase, describeKafka, eventually } from '@safecity/testing';
import { CeHeader } from '../src/envelope';
import { createMessagingTables } from '../src/migrations';
import { Outbox } from '../src/outbox/outbox';
import { ThreadedOutboxRelay } from '../src/outbox/threaded-outbox-relay';

class MessagingTables1700000000000 implements MigrationInterface {
  name = 'MessagingTables1700000000000';
  up(q: QueryRunner) {
    return createMessagingTables(q, 'relay_thread_test');
  }
  async down() {}
}

const TOPIC = `safecity.relay-thread-${randomUUID().slice(0, 8)}.v1`;

describeKafka('outbox relay on a worker thread (real broker and PostgreSQL)', (brokers) => {
  let db: { url: string; drop(): Promise<void> };
  const ds = () =>
    createServiceDataSource({
      url: db.url,
      schema: 'relay_thread_test',
      entities: [],
      migrations: [MessagingTables1700000000000],
    });
  let dataSource: ReturnType<typeof ds>;
  let consumer: Consumer;
  const received: KafkaMessage[] = [];

  beforeAll(async () => {
    const kafka = new Kafka({
      brokers: brokers().split(','),
      clientId: 'relay-thread-test',
      logLevel: logLevel.NOTHING,
    });
    consumer = kafka.consumer({ groupId: `relay-thread-test-${randomUUID().slice(0, 8)}` });
    db = await createTestDatabase('relaythread');
    dataSource = ds();
    await dataSource.initialize();
    await migrateServiceSchema(dataSource);
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 3 }], waitForLeaders: true });
    await admin.disconnect();
    await consumer.connect();
    await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void received.push(message) });
  }, 60_000);

  afterAll(async () => {
    await consumer?.disconnect();
    await dataSource?.destroy();
    await db?.drop();
  });

  it('publishes packed and single rows from its own thread, empties the outbox and stops cleanly', async () => {
    const unit = new UnitOfWork(dataSource);
    const outbox = new Outbox(unit, '/safecity/test');
    const event = (n: number) => ({
      id: `thread-${n}`,
      topic: TOPIC,
      key: `k${n % 5}`,
      type: 'kz.test.v1.ThingChanged',
      payload: Buffer.from(`payload-${n}`),
      region: 'ALA',
    });
    const options = ThreadedOutboxRelay.dataSourceOptionsOf(dataSource.options);
    expect(options).not.toBeNull();
    const published: number[] = [];
    const relay = new ThreadedOutboxRelay(
      {
        dataSource: options!,
        connection: { brokers: brokers(), clientId: 'relay-thread-test' },
        relay: { schema: 'relay_thread_test', batchSize: 700 },
      },
      { onPublished: (count) => published.push(count) },
    );
    relay.start();
    try {
      await unit.run((m) =>
        outbox.addBatch(
          m,
          Array.from({ length: 1_500 }, (_, i) => event(i)),
        ),
      );
      await unit.run((m) => outbox.add(m, event(1_500)));
      relay.wake();
      await eventually(async () => ((await outbox.pending()) === 0 ? true : null), {
        timeoutMs: 30_000,
        message: 'outbox emptied by the relay thread',
      });
      await eventually(() => (received.length >= 1_501 ? true : null), {
        timeoutMs: 30_000,
        message: 'every event on the topic',
      });
      expect(relay.healthy).toBe(true);
    } finally {
      await relay.stop();
    }
    expect(published.reduce((a, b) => a + b, 0)).toBe(1_501);
    const ids = received.map((m) => m.headers?.[CeHeader.Id]?.toString());
    expect(new Set(ids).size).toBe(1_501);
    // Per key, the order they were written in.
    const ofKey = received
      .filter((m) => m.key?.toString() === 'k3')
      .map((m) => Number(m.value!.toString().slice('payload-'.length)));
    expect(ofKey).toEqual([...ofKey].sort((a, b) => a - b));
    const first = received.find((m) => m.headers?.[CeHeader.Id]?.toString() === 'thread-0')!;
    expect(first.headers?.[CeHeader.Source]?.toString()).toBe('/safecity/test');
    expect(first.headers?.[CeHeader.Region]?.toString()).toBe('ALA');
  }, 90_000);
});
