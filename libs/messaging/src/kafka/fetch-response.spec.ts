import fc from 'fast-check';
import Encoder from 'kafkajs/src/protocol/encoder';
import kafkajsFetchV11 from 'kafkajs/src/protocol/requests/fetch/v11/response';
import { decodeFetchResponse } from './fetch-response';

// kafkajs' own record and batch encoders build the fetched batches, so the bytes are Kafka's.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Record = require('kafkajs/src/protocol/recordBatch/record/v0');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0');

type ValueOf<A> = A extends fc.Arbitrary<infer T> ? T : never;

const bytes = fc.uint8Array({ maxLength: 120 }).map((a) => Buffer.from(a));
const header = fc.oneof(
  fc.string({ maxLength: 30 }),
  bytes,
  fc.array(fc.string({ maxLength: 10 }), { maxLength: 3 }),
);
const record = fc.record({
  key: fc.oneof(fc.constant(null), bytes, fc.fullUnicodeString({ maxLength: 20 })),
  value: fc.oneof(fc.constant(null), bytes),
  headers: fc.dictionary(
    fc.oneof(fc.string({ minLength: 1, maxLength: 12 }), fc.constantFrom('__proto__', 'ce_id')),
    header,
    {
      maxKeys: 9,
    },
  ),
  timestampDelta: fc.oneof(
    fc.integer({ min: -10_000, max: 10_000 }),
    fc.integer({ min: -(2 ** 52), max: 2 ** 52 }),
  ),
});
const batch = fc.record({
  firstOffset: fc.oneof(
    fc.nat({ max: 1_000_000 }),
    fc.bigInt({ min: 2n ** 53n, max: 2n ** 62n }).map(String),
  ),
  firstTimestamp: fc.oneof(fc.constant(1_764_900_000_000), fc.integer({ min: -1, max: 2 ** 52 })),
  records: fc.array(record, { maxLength: 8 }),
  compressed: fc.boolean(),
  transactional: fc.boolean(),
  control: fc.boolean(),
  logAppendTime: fc.boolean(),
});
const partition = fc.record({
  partition: fc.nat({ max: 50 }),
  errorCode: fc.constantFrom(0, 1, 6),
  highWatermark: fc.nat(),
  aborted: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 2 }),
  batches: fc.array(batch, { maxLength: 3 }),
  // Where the broker's maxBytes cut the last batch, as a fraction of the messages' bytes.
  cut: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
});
const response = fc.array(
  fc.record({
    topic: fc.string({ minLength: 1, maxLength: 20 }),
    partitions: fc.array(partition, { maxLength: 3 }),
  }),
  { maxLength: 3 },
);

async function batchBytes(b: ValueOf<typeof batch>): Promise<Buffer> {
  const records = b.records.map((r, i) => Record({ ...r, offsetDelta: i }));
  const encoded: { buffer: Buffer } = await RecordBatch({
    compression: b.compressed && records.length ? 1 : 0,
    firstOffset: b.firstOffset,
    firstTimestamp: b.firstTimestamp,
    maxTimestamp: b.firstTimestamp + 5,
    lastOffsetDelta: records.length - 1,
    transactional: b.transactional,
    records,
  });
  const out = Buffer.from(encoded.buffer);
  // Attributes sit after first offset, length, leader epoch, magic and CRC (not checked on read).
  let attributes = out.readInt16BE(21);
  if (b.control) attributes |= 0x20;
  if (b.logAppendTime) attributes |= 0x08;
  out.writeInt16BE(attributes, 21);
  return out;
}

async function responseBytes(topics: ValueOf<typeof response>): Promise<Buffer> {
  const encoder = new Encoder();
  encoder.writeInt32(0).writeInt16(0).writeInt32(7).writeInt32(topics.length);
  for (const t of topics) {
    encoder.writeString(t.topic).writeInt32(t.partitions.length);
    for (const p of t.partitions) {
      let messages = Buffer.concat(await Promise.all(p.batches.map(batchBytes)));
      if (p.cut !== undefined) messages = messages.subarray(0, Math.floor(messages.length * p.cut));
      encoder.writeInt32(p.partition).writeInt16(p.errorCode).writeInt64(p.highWatermark);
      encoder.writeInt64(p.highWatermark).writeInt64(0).writeInt32(p.aborted.length);
      for (const [producerId, firstOffset] of p.aborted)
        encoder.writeInt64(producerId).writeInt64(firstOffset);
      encoder.writeInt32(-1).writeInt32(messages.length).writeBuffer(messages);
    }
  }
  return encoder.buffer;
}

async function outcome(decode: () => Promise<unknown>): Promise<unknown> {
  try {
    return { value: await decode() };
  } catch (error) {
    return { error: (error as Error).name };
  }
}

describe('fetch response decoding', () => {
  it('gives what kafkajs gives, for any fetch response', async () => {
    await fc.assert(
      fc.asyncProperty(response, async (topics) => {
        const data = await responseBytes(topics);
        const ours = await outcome(() => decodeFetchResponse(data));
        expect(ours).toEqual(await outcome(() => kafkajsFetchV11.decode(data)));
      }),
      { numRuns: 300 },
    );
  });

  it('reads the platform shape: records with CloudEvents headers, offsets past 2^53', async () => {
    const records = Array.from({ length: 500 }, (_, i) =>
      Record({
        offsetDelta: i,
        timestampDelta: i,
        key: `camera-${i % 7}`,
        value: Buffer.alloc(200, i),
        headers: {
          ce_id: `event-${i}`,
          ce_type: 'kz.safecity.recognition.v1.DetectionObserved',
          region: 'ALA',
        },
      }),
    );
    const encoded: { buffer: Buffer } = await RecordBatch({
      firstOffset: '9007199254740990',
      firstTimestamp: 1_764_900_000_000,
      lastOffsetDelta: 499,
      records,
    });
    const encoder = new Encoder();
    encoder.writeInt32(0).writeInt16(0).writeInt32(0).writeInt32(1).writeString('safecity.detections.v1');
    encoder.writeInt32(1).writeInt32(0).writeInt16(0).writeInt64(1).writeInt64(1).writeInt64(0).writeInt32(0);
    encoder.writeInt32(-1).writeInt32(encoded.buffer.length).writeBuffer(encoded.buffer);
    const data = encoder.buffer;
    const ours = (await decodeFetchResponse(data)) as {
      responses: { partitions: { messages: { offset: string }[] }[] }[];
    };
    expect(ours).toEqual(await kafkajsFetchV11.decode(data));
    expect(ours.responses[0].partitions[0].messages[499].offset).toBe('9007199254741489');
  });
});
