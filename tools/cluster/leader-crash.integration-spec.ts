import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel, type Admin, type Producer } from 'kafkajs';
import {
  KafkaEventClient,
  acknowledgedProducerConfig,
  sendAcknowledged,
  type BusRecord,
} from '@safecity/messaging';
import { formatBrokers, launchBroker, stopBroker, waitForBrokers, type BrokerState } from './kafka-nodes';
import { freePorts, sleep, waitFor } from './processes';
import { ROOT } from './topology';

// Three real Kafka nodes (each broker and KRaft controller, replication 3, min.insync.replicas 2),
// a load of acknowledged writes, and kill -9 of the node that leads the first partition, started
// again 10 s later: every write the client was told is acknowledged must be in the log afterwards.
// It needs Kafka's jars and a JDK like every Kafka suite, so SKIP_KAFKA skips it with them.
const describeKafka = process.env.SKIP_KAFKA ? describe.skip : describe;

const TOPIC_BATCHES = 'leader-crash.batches';
const TOPIC_SINGLES = 'leader-crash.singles';
const PARTITIONS = 6;

describeKafka('acknowledged records survive the crash of a partition leader (three Kafka nodes)', () => {
  let dir: string;
  let brokers: BrokerState[];
  let bootstrap: string[];
  let kafka: Kafka;
  let admin: Admin;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'safecity-leader-crash-'));
    const ports = await freePorts(6);
    brokers = [1, 2, 3].map((nodeId) => ({
      nodeId,
      port: ports.shift()!,
      controllerPort: ports.shift()!,
      dataDir: join(dir, `kafka-${nodeId}`),
      log: join(dir, `kafka-${nodeId}.log`),
    }));
    bootstrap = brokers.map((b) => `127.0.0.1:${b.port}`);
    await formatBrokers(ROOT, brokers, dir);
    for (const broker of brokers) await launchBroker(ROOT, broker);
    await waitForBrokers(brokers, 180_000);
    kafka = new Kafka({ clientId: 'leader-crash', brokers: bootstrap, logLevel: logLevel.NOTHING });
    admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      waitForLeaders: false,
      topics: [TOPIC_BATCHES, TOPIC_SINGLES].map((topic) => ({
        topic,
        numPartitions: PARTITIONS,
        replicationFactor: 3,
        configEntries: [{ name: 'min.insync.replicas', value: '2' }],
      })),
    });
    // Every partition led and fully replicated before the load starts.
    const ready = await waitFor(
      async () => {
        const { topics } = await admin
          .fetchTopicMetadata({ topics: [TOPIC_BATCHES, TOPIC_SINGLES] })
          .catch(() => ({ topics: [] }));
        return (
          topics.length === 2 &&
          topics.every((t) => t.partitions.every((p) => p.leader >= 0 && p.isr.length === 3))
        );
      },
      60_000,
      500,
    );
    if (!ready) throw new Error('the test topics have no leaders or in-sync replicas');
  }, 240_000);

  afterAll(async () => {
    await admin?.disconnect().catch(() => undefined);
    for (const broker of brokers ?? []) await stopBroker(broker, true).catch(() => undefined);
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('loses nothing the outbox relay’s publisher or a bridge’s concurrent sends were told was written', async () => {
    // The outbox relay's way: batches over every partition (so over all three leaders), one after
    // the other, the same batch again until acknowledged.
    const publisher = new KafkaEventClient({ brokers: bootstrap, clientId: 'leader-crash-relay' });
    // A video system's bridge: single records to the raw topic, several in flight at once.
    const bridge = kafka.producer(acknowledgedProducerConfig());
    await bridge.connect();

    const acknowledged = new Map<string, Set<string>>([
      [TOPIC_BATCHES, new Set()],
      [TOPIC_SINGLES, new Set()],
    ]);
    let running = true;
    let sequence = 0;
    const relay = async () => {
      while (running) {
        const batch: BusRecord[] = Array.from({ length: 24 }, (_, i) => ({
          topic: TOPIC_BATCHES,
          key: `camera-${i % 12}`,
          value: Buffer.from(`batch-${++sequence}`),
          headers: {},
        }));
        for (;;) {
          try {
            await publisher.publishBatch(batch);
            break;
          } catch {
            await sleep(200);
          }
        }
        for (const r of batch) acknowledged.get(TOPIC_BATCHES)!.add(r.value.toString());
        await sleep(20);
      }
    };
    const bridgeSender = async (worker: number, producer: Producer) => {
      let n = 0;
      while (running) {
        const id = `single-${worker}-${++n}`;
        for (;;) {
          try {
            await sendAcknowledged(producer, {
              topicMessages: [
                { topic: TOPIC_SINGLES, messages: [{ key: `system-${worker % 4}`, value: id }] },
              ],
            });
            break;
          } catch {
            await sleep(200);
          }
        }
        acknowledged.get(TOPIC_SINGLES)!.add(id);
        await sleep(10);
      }
    };
    const load = [relay(), ...Array.from({ length: 8 }, (_, w) => bridgeSender(w, bridge))];

    await sleep(4_000);
    const metadata = await admin.fetchTopicMetadata({ topics: [TOPIC_SINGLES] });
    const leader = metadata.topics[0].partitions.find((p) => p.partitionId === 0)!.leader;
    const victim = brokers.find((b) => b.nodeId === leader)!;
    await stopBroker(victim, true);
    await sleep(10_000);
    await launchBroker(ROOT, victim);
    await waitForBrokers(brokers, 180_000);
    await sleep(5_000);
    running = false;
    await Promise.all(load);
    await bridge.disconnect();
    await publisher.close();

    const missing: Record<string, { acknowledged: number; missing: string[] }> = {};
    for (const [topic, ids] of acknowledged) {
      const present = await readAll(kafka, admin, topic);
      missing[topic] = { acknowledged: ids.size, missing: [...ids].filter((id) => !present.has(id)) };
    }
    process.stdout.write(`leader ${leader} killed: ${JSON.stringify(missing)}\n`);
    expect(acknowledged.get(TOPIC_BATCHES)!.size).toBeGreaterThan(100);
    expect(acknowledged.get(TOPIC_SINGLES)!.size).toBeGreaterThan(100);
    expect(missing).toEqual({
      [TOPIC_BATCHES]: { acknowledged: expect.any(Number), missing: [] },
      [TOPIC_SINGLES]: { acknowledged: expect.any(Number), missing: [] },
    });
  }, 600_000);
});

/** Every value on the topic, read from each partition's first record to its end. */
async function readAll(kafka: Kafka, admin: Admin, topic: string): Promise<Set<string>> {
  const ends = new Map(
    (await admin.fetchTopicOffsets(topic)).map((o) => [o.partition, Number(o.high)] as const),
  );
  const values = new Set<string>();
  const reached = new Set<number>();
  for (const [partition, end] of ends) if (end === 0) reached.add(partition);
  const consumer = kafka.consumer({ groupId: `leader-crash-read-${Date.now()}` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${topic} not read to its end within 60 s`)), 60_000);
      if (reached.size === ends.size) {
        clearTimeout(timer);
        resolve();
      }
      void consumer.run({
        autoCommit: false,
        eachMessage: async ({ partition, message }) => {
          values.add(message.value!.toString());
          if (Number(message.offset) + 1 >= ends.get(partition)!) reached.add(partition);
          if (reached.size === ends.size) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return values;
}
