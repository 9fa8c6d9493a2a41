import { Consumer, Kafka, logLevel, Partitioners } from 'kafkajs';
import { KafkaBroker } from './kafka-broker';

// Starts its own broker (not the suite-wide one) because it stops and restarts it.
jest.setTimeout(90_000);

const TOPIC = 'kafka-broker-spec';

function client(brokers: string): Kafka {
  return new Kafka({
    clientId: 'kafka-broker-spec',
    brokers: [brokers],
    logLevel: logLevel.NOTHING,
    retry: { retries: 5, initialRetryTime: 100 },
  });
}

/** Reads TOPIC from the beginning with a fresh group and returns the first value seen. */
async function firstValue(kafka: Kafka, groupId: string, timeoutMs = 30_000): Promise<string> {
  const consumer: Consumer = kafka.consumer({ groupId, sessionTimeout: 10_000 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
    return await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no message on ${TOPIC} within ${timeoutMs} ms`)),
        timeoutMs,
      );
      consumer
        .run({
          eachMessage: async ({ message }) => {
            clearTimeout(timer);
            resolve(message.value?.toString() ?? '');
          },
        })
        .catch((err) => {
          clearTimeout(timer);
          reject(err);
        });
    });
  } finally {
    await consumer.disconnect();
  }
}

/** Every record currently in the single-partition `topic`, read with a fresh group. */
async function readAll(kafka: Kafka, topic: string, groupId: string, timeoutMs = 15_000): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  const [{ high }] = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const last = (BigInt(high) - 1n).toString();
  const values: string[] = [];
  const consumer = kafka.consumer({ groupId, sessionTimeout: 10_000 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`did not reach offset ${last} of ${topic}`)),
        timeoutMs,
      );
      consumer
        .run({
          eachMessage: async ({ message }) => {
            values.push(message.value?.toString() ?? '');
            if (message.offset === last) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return values;
}

describe('KafkaBroker', () => {
  const output: string[] = [];
  const broker = new KafkaBroker({ log: (line) => output.push(line) });

  beforeAll(async () => {
    // A cold Maven cache downloads the jars first; that is not what the test times.
    await KafkaBroker.resolveJars();
  }, 15 * 60_000);

  afterAll(async () => {
    await broker.stop();
  });

  afterEach(() => {
    const state = expect.getState();
    if (state.assertionCalls !== state.numPassingAsserts) {
      process.stderr.write(`broker output:\n${output.join('\n')}\n`);
    }
  });

  it('keeps its address and its data across a stop and a restart', async () => {
    const address = await broker.start();
    expect(address).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(broker.brokers).toBe(address);
    const firstPid = broker.pid;
    expect(firstPid).toBeGreaterThan(0);

    const kafka = client(address);
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 1 }], waitForLeaders: true });
    await admin.disconnect();

    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    await producer.send({ topic: TOPIC, acks: -1, messages: [{ key: 'k', value: 'survives-restart' }] });
    await producer.disconnect();

    expect(await firstValue(kafka, 'spec-before-restart')).toBe('survives-restart');

    await broker.stop();
    expect(broker.pid).toBeUndefined();

    expect(await broker.start()).toBe(address);
    expect(broker.pid).not.toBe(firstPid);

    expect(await firstValue(client(address), 'spec-after-restart')).toBe('survives-restart');

    await broker.stop();
    expect(broker.pid).toBeUndefined();
  });

  // Latest-state topics depend on the log cleaner, which the broker config shrinks to fit the
  // small heap; a misconfigured cleaner would only show up as unbounded topics much later.
  it('compacts topics with cleanup.policy=compact', async () => {
    const kafka = client(await broker.start());
    const topic = 'kafka-broker-spec-compacted';
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        {
          topic,
          numPartitions: 1,
          configEntries: [
            { name: 'cleanup.policy', value: 'compact' },
            // Roll a segment per write: only closed segments are compacted.
            { name: 'segment.ms', value: '50' },
            { name: 'min.cleanable.dirty.ratio', value: '0.01' },
          ],
        },
      ],
    });
    await admin.disconnect();

    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    for (let i = 0; i < 10; i++) {
      await producer.send({ topic, acks: -1, messages: [{ key: 'camera-1', value: `state-${i}` }] });
      await new Promise((r) => setTimeout(r, 80));
    }
    await producer.disconnect();

    let values: string[] = [];
    const deadline = Date.now() + 20_000;
    for (let attempt = 0; Date.now() < deadline; attempt++) {
      values = await readAll(kafka, topic, `spec-compaction-${attempt}`);
      if (values.length <= 2) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    // The newest record sits in the active segment and one survivor may remain in the cleaned one.
    expect(values.length).toBeLessThanOrEqual(2);
    expect(values[values.length - 1]).toBe('state-9');
  });
});
