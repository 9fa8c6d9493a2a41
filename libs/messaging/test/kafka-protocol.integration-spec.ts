import { describeKafka, eventually } from '@safecity/testing';
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type IHeaders, type KafkaMessage } from 'kafkajs';
import produceRequests from 'kafkajs/src/protocol/requests/produce';
import { encodeProduceRequest, type ProduceRequestArgs } from '../src/kafka/produce-request';
// Importing the platform's client installs the produce encoding and fetch decoding.
import '../src/kafka/kafka-event.client';

const TOPIC = `safecity.protocol-test-${randomUUID().slice(0, 8)}.v1`;

describe('kafkajs with the platform produce encoding installed', () => {
  it('encodes produce requests of the versions Kafka 3.9 negotiates with encodeProduceRequest', async () => {
    const args: ProduceRequestArgs = {
      acks: -1,
      timeout: 30_000,
      topicData: [
        {
          topic: 't',
          partitions: [{ partition: 0, messages: [{ key: 'k', value: 'v', headers: { a: 'b' } }] }],
        },
      ],
    };
    // Both stamp the batch with Date.now(): one instant for the comparison.
    jest.spyOn(Date, 'now').mockReturnValue(1_764_900_000_000);
    try {
      for (const version of [3, 5, 7]) {
        const factory = produceRequests.protocol({ version })!;
        const encoded = (await factory(args).request.encode()) as {
          buf: Buffer;
          buffer: Buffer;
          size(): number;
        };
        expect(encoded.buffer.equals(encodeProduceRequest(args)!.buffer)).toBe(true);
        // The bytes are the same either way; which encoder wrote them shows in the buffer: the
        // one-pass encoder sizes it exactly, kafkajs' grows it by powers of two (512 here).
        expect(encoded.buf.length).toBe(encoded.size());
      }
    } finally {
      jest.restoreAllMocks();
    }
  });
});

describeKafka('kafkajs produce encoding and fetch decoding (real broker)', (brokers) => {
  let kafka: Kafka;
  beforeAll(() => {
    kafka = new Kafka({
      brokers: brokers().split(','),
      clientId: 'protocol-test',
      logLevel: logLevel.NOTHING,
    });
  });

  it('round-trips keys, values and headers (repeated, binary, UTF-8) through the broker', async () => {
    const messages = Array.from({ length: 600 }, (_, i) => ({
      key: i % 5 === 0 ? null : `key-${i % 17}`,
      value: i % 11 === 0 ? null : Buffer.from(`value ${i} — Қазақстан ${'x'.repeat(i % 300)}`),
      headers: {
        ce_id: `event-${i}`,
        ce_type: 'kz.safecity.test.v1.ThingChanged',
        region: i % 2 ? 'ALA' : 'AST',
        binary: Buffer.from([0, 255, i % 256]),
        repeated: [`first-${i}`, `second-${i}`],
      } as IHeaders,
      timestamp: String(Date.now() - (i % 3) * 86_400_000),
    }));
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 2 }], waitForLeaders: true });
    await admin.disconnect();
    await producer.send({ topic: TOPIC, acks: -1, messages: messages.slice(0, 300) });
    await producer.sendBatch({ acks: -1, topicMessages: [{ topic: TOPIC, messages: messages.slice(300) }] });
    await producer.disconnect();

    const received: KafkaMessage[] = [];
    const consumer = kafka.consumer({ groupId: `protocol-test-${randomUUID()}` });
    await consumer.connect();
    await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        received.push(message);
      },
    });
    try {
      await eventually(() => received.length >= messages.length, {
        timeoutMs: 60_000,
        message: 'every record',
      });
    } finally {
      await consumer.disconnect();
    }
    expect(received).toHaveLength(messages.length);
    const byId = new Map(received.map((m) => [String(m.headers!.ce_id), m]));
    for (const sent of messages) {
      const got = byId.get(String(sent.headers.ce_id))!;
      expect(got.key === null ? null : got.key.toString()).toBe(sent.key);
      expect(got.value === null ? null : got.value.toString()).toBe(
        sent.value === null ? null : sent.value.toString(),
      );
      expect(got.timestamp).toBe(sent.timestamp);
      expect(got.headers!.region!.toString()).toBe(sent.headers.region);
      expect(got.headers!.binary).toEqual(sent.headers.binary);
      expect((got.headers!.repeated as Buffer[]).map(String)).toEqual(sent.headers.repeated);
    }
  }, 90_000);
});
