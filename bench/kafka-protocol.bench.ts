/**
 * `npm run bench -- kafka-protocol [--records 2000] [--rounds 40]`
 *
 * The platform's one-pass produce encoding and fetch decoding against kafkajs' own code, on the
 * records a relay publishes: a camera-id key, a ~220-byte protobuf value and nine CloudEvents
 * headers. Both sides run in the same process on the same records, alternating, and their
 * results are checked equal before anything is timed.
 */
import { randomUUID } from 'node:crypto';
import Encoder from 'kafkajs/src/protocol/encoder';
import kafkajsFetchV11 from 'kafkajs/src/protocol/requests/fetch/v11/response';
import kafkajsProduceV3 from 'kafkajs/src/protocol/requests/produce/v3/request';
import { isDeepStrictEqual } from 'node:util';
import { decodeFetchResponse } from '../libs/messaging/src/kafka/fetch-response';
import { encodeProduceRequest, type ProduceRequestArgs } from '../libs/messaging/src/kafka/produce-request';
import { option, table } from './infra';

const TOPIC = 'safecity.detections.v1';

function relayRecords(count: number) {
  return Array.from({ length: count }, (_, i) => ({
    key: randomUUID(),
    value: Buffer.alloc(220, i),
    headers: {
      ce_specversion: '1.0',
      ce_id: randomUUID(),
      ce_source: '/safecity/recognition',
      ce_type: 'kz.safecity.recognition.v1.DetectionObserved',
      ce_time: new Date().toISOString(),
      ce_subject: `camera/${randomUUID()}`,
      'content-type': 'application/protobuf',
      region: 'ALA',
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    },
  }));
}

/** A fetch response carrying the record batch of `request` (a single-partition produce request). */
function fetchResponseOf(request: Buffer, records: number): Buffer {
  // transactional id (null), acks, timeout, topic count, topic, partition count, partition, size
  const batch = request.subarray(2 + 2 + 4 + 4 + 2 + Buffer.byteLength(TOPIC) + 4 + 4 + 4);
  const encoder = new Encoder();
  encoder.writeInt32(0).writeInt16(0).writeInt32(0).writeInt32(1).writeString(TOPIC).writeInt32(1);
  encoder.writeInt32(0).writeInt16(0).writeInt64(records).writeInt64(records).writeInt64(0).writeInt32(0);
  encoder.writeInt32(-1).writeInt32(batch.length).writeBuffer(batch);
  return encoder.buffer;
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
}

async function microsPerRecord(work: () => unknown, records: number): Promise<number> {
  const start = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - start) / 1_000 / records;
}

export async function run(argv: string[]) {
  const count = option(argv, 'records', 2_000);
  const rounds = option(argv, 'rounds', 40);
  const args: ProduceRequestArgs = {
    acks: -1,
    timeout: 30_000,
    producerId: 4_321,
    producerEpoch: 0,
    topicData: [
      { topic: TOPIC, partitions: [{ partition: 0, firstSequence: 0, messages: relayRecords(count) }] },
    ],
  };
  // Both stamp the batch with Date.now(): one instant for the comparison.
  const now = Date.now;
  const instant = now();
  Date.now = () => instant;
  const ours = encodeProduceRequest(args)!.buffer;
  const theirs = (await kafkajsProduceV3(args).encode()).buffer;
  Date.now = now;
  if (!ours.equals(theirs)) throw new Error('produce encodings differ');
  const fetched = fetchResponseOf(ours, count);
  if (!isDeepStrictEqual(await decodeFetchResponse(fetched), await kafkajsFetchV11.decode(fetched)))
    throw new Error('fetch decodings differ');

  const times = {
    kafkajsEncode: [] as number[],
    encode: [] as number[],
    kafkajsDecode: [] as number[],
    decode: [] as number[],
  };
  // The first quarter of the rounds warms the code up and is not counted.
  for (let round = 0; round < rounds; round++) {
    const counted = round >= rounds / 4;
    const sample = [
      await microsPerRecord(() => kafkajsProduceV3(args).encode(), count),
      await microsPerRecord(() => encodeProduceRequest(args), count),
      await microsPerRecord(() => kafkajsFetchV11.decode(fetched), count),
      await microsPerRecord(() => decodeFetchResponse(fetched), count),
    ];
    if (!counted) continue;
    times.kafkajsEncode.push(sample[0]!);
    times.encode.push(sample[1]!);
    times.kafkajsDecode.push(sample[2]!);
    times.decode.push(sample[3]!);
  }
  const row = (path: string, values: number[]) => ({
    path,
    'median µs/record': +median(values).toFixed(2),
    'best µs/record': +Math.min(...values).toFixed(2),
  });
  process.stdout.write(
    `kafka protocol: ${count} records of ${ours.length} bytes in all, ${rounds} rounds (${Math.ceil(rounds / 4)} warm-up)\n\n` +
      `${table([
        row('produce request, kafkajs', times.kafkajsEncode),
        row('produce request, one pass (encodeProduceRequest)', times.encode),
        row('fetch response, kafkajs', times.kafkajsDecode),
        row('fetch response, one pass (decodeFetchResponse)', times.decode),
      ])}\n`,
  );
}
