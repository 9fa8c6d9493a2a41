import fc from 'fast-check';
import kafkajsCrc32c from 'kafkajs/src/protocol/recordBatch/crc32C';
import kafkajsProduceV3 from 'kafkajs/src/protocol/requests/produce/v3/request';
import { crc32c } from './crc32c';
import { encodeProduceRequest, type ProduceMessage, type ProduceRequestArgs } from './produce-request';

const NOW = 1_764_900_000_000;

const bytes = fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a));
const text = fc.oneof(fc.string({ maxLength: 60 }), fc.fullUnicodeString({ maxLength: 20 }));
const headerValue = fc.oneof(text, bytes);
const message: fc.Arbitrary<ProduceMessage> = fc.record(
  {
    key: fc.oneof(fc.constant(null), text, bytes),
    value: fc.oneof(fc.constant(null), text, bytes),
    headers: fc.dictionary(
      fc.string({ minLength: 1, maxLength: 20 }),
      fc.oneof(headerValue, fc.array(headerValue, { maxLength: 3 })),
      { maxKeys: 9 },
    ),
    timestamp: fc.oneof(
      fc.integer({ min: NOW - 5_000_000, max: NOW + 5_000_000 }),
      // Deltas beyond 32 bits and timestamps given as text, as kafkajs accepts them.
      fc.integer({ min: NOW - 4_000_000_000_000, max: NOW }),
      fc.integer({ min: NOW - 1_000, max: NOW }).map(String),
    ),
  },
  { requiredKeys: ['value'] },
);
const request: fc.Arbitrary<ProduceRequestArgs> = fc.record({
  acks: fc.constantFrom(-1, 0, 1),
  timeout: fc.integer({ min: 0, max: 60_000 }),
  transactionalId: fc.oneof(fc.constant(null), fc.string({ minLength: 1, maxLength: 30 })),
  producerId: fc.oneof(fc.constant(-1), fc.integer({ min: 0, max: 2 ** 40 })),
  producerEpoch: fc.integer({ min: 0, max: 32_000 }),
  compression: fc.constant(0),
  topicData: fc.array(
    fc.record({
      topic: fc.string({ minLength: 1, maxLength: 40 }),
      partitions: fc.array(
        fc.record({
          partition: fc.integer({ min: 0, max: 100 }),
          firstSequence: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
          messages: fc.array(message, { maxLength: 12 }),
        }),
        { maxLength: 3 },
      ),
    }),
    { minLength: 1, maxLength: 3 },
  ),
});

async function kafkajsBytes(args: ProduceRequestArgs): Promise<Buffer> {
  return (await kafkajsProduceV3(args).encode()).buffer;
}

describe('produce request encoding', () => {
  beforeEach(() => jest.spyOn(Date, 'now').mockReturnValue(NOW));
  afterEach(() => jest.restoreAllMocks());

  it('writes the bytes kafkajs writes, for any plain request', async () => {
    await fc.assert(
      fc.asyncProperty(request, async (args) => {
        const ours = encodeProduceRequest(args);
        expect(ours).not.toBeNull();
        expect(ours!.buffer.equals(await kafkajsBytes(args))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('writes the platform relay shape: CloudEvents headers, camera keys, protobuf values', async () => {
    const messages = Array.from({ length: 2_000 }, (_, i) => ({
      key: `0d4b7a4e-7d51-4bd4-9c6f-${String(i).padStart(12, '0')}`,
      value: Buffer.alloc(200 + (i % 50), i),
      headers: {
        ce_id: `event-${i}`,
        ce_source: '/safecity/recognition',
        ce_type: 'kz.safecity.recognition.v1.DetectionObserved',
        ce_time: new Date(NOW + i).toISOString(),
        ce_subject: `camera/${i}`,
        'content-type': 'application/protobuf',
        region: 'ALA',
        traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      },
    }));
    const args: ProduceRequestArgs = {
      acks: -1,
      timeout: 30_000,
      producerId: 4_321,
      producerEpoch: 2,
      topicData: [
        { topic: 'safecity.detections.v1', partitions: [{ partition: 1, firstSequence: 77, messages }] },
      ],
    };
    expect(encodeProduceRequest(args)!.buffer.equals(await kafkajsBytes(args))).toBe(true);
  });

  it('leaves compressed batches and values of other types to kafkajs', () => {
    const topicData = [{ topic: 't', partitions: [{ partition: 0, messages: [{ value: 'v' }] }] }];
    expect(encodeProduceRequest({ acks: -1, timeout: 1, compression: 1, topicData })).toBeNull();
    const numeric = [
      { topic: 't', partitions: [{ partition: 0, messages: [{ value: 5 as unknown as string }] }] },
    ];
    expect(encodeProduceRequest({ acks: -1, timeout: 1, topicData: numeric })).toBeNull();
  });
});

describe('crc32c', () => {
  it('agrees with kafkajs over any bytes and any range of them', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2_000 }), fc.nat(), fc.nat(), (array, a, b) => {
        const buffer = Buffer.from(array);
        const start = buffer.length ? a % buffer.length : 0;
        const end = start + (buffer.length - start ? b % (buffer.length - start + 1) : 0);
        expect(crc32c(buffer, start, end)).toBe(kafkajsCrc32c(buffer.subarray(start, end)));
      }),
      { numRuns: 500 },
    );
  });

  it('gives the check value of CRC-32C', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
  });
});
