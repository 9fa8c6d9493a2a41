import Encoder from 'kafkajs/src/protocol/encoder';
import Long from 'kafkajs/src/utils/long';
import produceRequests from 'kafkajs/src/protocol/requests/produce';
import { crc32c } from './crc32c';

/**
 * The body of a Kafka produce request (versions 3 to 7, record batch v2, uncompressed), written in
 * one pass into one buffer sized up front.
 *
 * kafkajs 2.2.4, its last release, builds each record through a chain of growable encoders: a
 * zero-filled 512-byte buffer per record and per header, a new Buffer per varint, 64-bit `Long`
 * arithmetic per timestamp. With the platform's eight CloudEvents headers that is about 25 µs of
 * CPU per record, as much as all the rest of a detection's ingestion, and most of the garbage the
 * collector then clears. The bytes written here are the ones kafkajs writes; a property test holds
 * the two encoders to byte-for-byte equality (`produce-request.spec.ts`). Anything outside the
 * plain case (compression, keys or values that are neither text nor bytes) stays with kafkajs.
 */

type HeaderValue = string | Buffer;

export interface ProduceMessage {
  key?: Buffer | string | null;
  value?: Buffer | string | null;
  headers?: Record<string, HeaderValue | HeaderValue[] | undefined>;
  timestamp?: string | number;
}

export interface ProduceRequestArgs {
  acks: number;
  timeout: number;
  transactionalId?: string | null;
  producerId?: unknown;
  producerEpoch?: number;
  compression?: number;
  topicData: {
    topic: string;
    partitions: { partition: number; firstSequence?: number; messages: ProduceMessage[] }[];
  }[];
}

const MAGIC_BYTE = 2;
const TRANSACTIONAL_ATTRIBUTE = 16;
/** Fixed part of a record batch from its length field on: epoch, magic, CRC, then the body's header. */
const BATCH_HEADER_BYTES = 4 + 1 + 4 + 2 + 4 + 8 + 8 + 8 + 2 + 4 + 4;
/** Timestamp deltas up to this size are plain 32-bit zigzag varints; larger ones take kafkajs' path. */
const SMALL_DELTA = 0x3fffffff;
const isSmallDelta = (delta: number) =>
  Number.isInteger(delta) && delta >= -SMALL_DELTA && delta <= SMALL_DELTA;

/** Byte lengths found by the sizing pass, read again by the writing pass (grown as needed). */
let lengths = new Int32Array(4096);

function keepLength(at: number, length: number): void {
  if (at >= lengths.length) {
    const grown = new Int32Array(lengths.length * 2);
    grown.set(lengths);
    lengths = grown;
  }
  lengths[at] = length;
}

function zigzag(value: number): number {
  return (value << 1) ^ (value >> 31);
}

function varIntSize(value: number): number {
  let unsigned = zigzag(value) >>> 0;
  let size = 1;
  while (unsigned > 0x7f) {
    size++;
    unsigned >>>= 7;
  }
  return size;
}

/** Byte length of a key or value, -1 for null, or NaN for a type only kafkajs knows how to write. */
function bytesLength(value: unknown): number {
  if (value == null) return -1;
  if (typeof value === 'string') return Buffer.byteLength(value);
  if (Buffer.isBuffer(value)) return value.length;
  return NaN;
}

function lengthPrefixedSize(length: number): number {
  return length < 0 ? 1 : varIntSize(length) + length;
}

function largeVarLong(value: number): Buffer {
  return new Encoder().writeVarLong(value).buffer;
}

function timestampDeltaSize(delta: number): number {
  if (isSmallDelta(delta)) return varIntSize(delta);
  return largeVarLong(delta).length;
}

interface PartitionTimes {
  now: number;
  first: string | number;
  max: string | number;
}

/** The batch timestamps exactly as kafkajs derives them, including its lexicographic sort. */
function partitionTimes(messages: ProduceMessage[]): PartitionTimes {
  const now = Date.now();
  const stamped = messages
    .map((m) => m.timestamp)
    .filter((t): t is string | number => t != null)
    .sort();
  return stamped.length === 0
    ? { now, first: now, max: now }
    : { now, first: stamped[0], max: stamped[stamped.length - 1] };
}

function timestampDelta(message: ProduceMessage, times: PartitionTimes): number {
  return ((message.timestamp || times.now) as number) - (times.first as number);
}

class Writer {
  at = 0;
  constructor(readonly buf: Buffer) {}

  int8(value: number) {
    this.buf[this.at++] = value & 0xff;
  }
  int16(value: number) {
    this.buf.writeInt16BE(value, this.at);
    this.at += 2;
  }
  int32(value: number) {
    this.buf.writeInt32BE(value, this.at);
    this.at += 4;
  }
  int64(value: unknown) {
    const long = Long.fromValue(value);
    this.buf.writeInt32BE(long.getHighBits(), this.at);
    this.buf.writeInt32BE(long.getLowBits(), this.at + 4);
    this.at += 8;
  }
  varInt(value: number) {
    let unsigned = zigzag(value) >>> 0;
    while (unsigned > 0x7f) {
      this.buf[this.at++] = (unsigned & 0x7f) | 0x80;
      unsigned >>>= 7;
    }
    this.buf[this.at++] = unsigned;
  }
  timestampDelta(delta: number) {
    if (isSmallDelta(delta)) this.varInt(delta);
    else this.bytes(largeVarLong(delta));
  }
  bytes(value: Buffer) {
    value.copy(this.buf, this.at);
    this.at += value.length;
  }
  text(value: string) {
    this.at += this.buf.write(value, this.at);
  }
  /** A key, value or header: varint length (-1 for null), then the bytes. */
  lengthPrefixed(value: string | Buffer | null | undefined, length: number) {
    this.varInt(length);
    if (length <= 0) return;
    if (typeof value === 'string') this.text(value);
    else this.bytes(value as Buffer);
  }
  /** A protocol string: int16 length (-1 for null), then UTF-8. */
  string(value: string | null | undefined) {
    if (value == null) return this.int16(-1);
    this.int16(Buffer.byteLength(value));
    this.text(value);
  }
}

function eachHeader(
  headers: ProduceMessage['headers'],
  visit: (key: string, value: HeaderValue | null | undefined) => void,
): void {
  if (!headers) return;
  for (const key of Object.keys(headers)) {
    const value = headers[key];
    if (Array.isArray(value)) for (const v of value) visit(key, v);
    else visit(key, value);
  }
}

/**
 * Encodes the request, or answers null when it is not the plain case this encoder writes (the
 * caller then lets kafkajs encode it).
 */
export function encodeProduceRequest(args: ProduceRequestArgs): InstanceType<typeof Encoder> | null {
  if ((args.compression ?? 0) !== 0) return null;
  const transactionalId = args.transactionalId ?? null;

  // Sizing pass: every length the writing pass needs, kept in `lengths` in writing order.
  let slot = 0;
  let total = 2 + (transactionalId == null ? 0 : Buffer.byteLength(transactionalId)) + 2 + 4 + 4;
  const plans: { times: PartitionTimes; batchLength: number }[] = [];
  for (const topicData of args.topicData) {
    total += 2 + Buffer.byteLength(topicData.topic) + 4;
    for (const partition of topicData.partitions) {
      const partitionTime = partitionTimes(partition.messages);
      let batchLength = BATCH_HEADER_BYTES;
      const messages = partition.messages;
      for (let i = 0; i < messages.length; i++) {
        const message = messages[i];
        const bodySlot = slot++;
        const keyLength = bytesLength(message.key);
        const valueLength = bytesLength(message.value);
        if (Number.isNaN(keyLength) || Number.isNaN(valueLength)) return null;
        keepLength(slot++, keyLength);
        keepLength(slot++, valueLength);
        const countSlot = slot++;
        let headerCount = 0;
        let headersSize = 0;
        let unsupported = false;
        eachHeader(message.headers, (key, value) => {
          const keyBytes = Buffer.byteLength(key);
          const valueBytes = bytesLength(value);
          if (Number.isNaN(valueBytes)) unsupported = true;
          keepLength(slot++, keyBytes);
          keepLength(slot++, valueBytes);
          headersSize += varIntSize(keyBytes) + keyBytes + lengthPrefixedSize(valueBytes);
          headerCount++;
        });
        if (unsupported) return null;
        keepLength(countSlot, headerCount);
        const bodySize =
          1 +
          timestampDeltaSize(timestampDelta(message, partitionTime)) +
          varIntSize(i) +
          lengthPrefixedSize(keyLength) +
          lengthPrefixedSize(valueLength) +
          varIntSize(headerCount) +
          headersSize;
        keepLength(bodySlot, bodySize);
        batchLength += varIntSize(bodySize) + bodySize;
      }
      plans.push({ times: partitionTime, batchLength });
      // partition, record set size, first offset, batch length, batch
      total += 4 + 4 + 8 + 4 + batchLength;
    }
  }

  // Writing pass.
  const out = new Writer(Buffer.allocUnsafe(total));
  out.string(transactionalId);
  out.int16(args.acks);
  out.int32(args.timeout);
  out.int32(args.topicData.length);
  slot = 0;
  let partitionIndex = 0;
  for (const topicData of args.topicData) {
    out.string(topicData.topic);
    out.int32(topicData.partitions.length);
    for (const partition of topicData.partitions) {
      const { times: partitionTime, batchLength } = plans[partitionIndex++];
      const messages = partition.messages;
      out.int32(partition.partition);
      out.int32(8 + 4 + batchLength);
      out.int64(0);
      out.int32(batchLength);
      out.int32(0); // partition leader epoch
      out.int8(MAGIC_BYTE);
      const crcAt = out.at;
      out.at += 4;
      const bodyStart = out.at;
      out.int16(transactionalId ? TRANSACTIONAL_ATTRIBUTE : 0);
      out.int32(messages.length - 1);
      out.int64(partitionTime.first);
      out.int64(partitionTime.max);
      out.int64(args.producerId ?? -1);
      out.int16(args.producerEpoch ?? 0);
      out.int32(partition.firstSequence ?? 0);
      out.int32(messages.length);
      for (let i = 0; i < messages.length; i++) {
        const message = messages[i];
        out.varInt(lengths[slot++]);
        out.int8(0); // record attributes
        out.timestampDelta(timestampDelta(message, partitionTime));
        out.varInt(i);
        out.lengthPrefixed(message.key, lengths[slot++]);
        out.lengthPrefixed(message.value, lengths[slot++]);
        out.varInt(lengths[slot++]);
        eachHeader(message.headers, (key, value) => {
          out.varInt(lengths[slot++]);
          out.text(key);
          out.lengthPrefixed(value, lengths[slot++]);
        });
      }
      out.buf.writeUInt32BE(crc32c(out.buf, bodyStart, out.at), crcAt);
    }
  }
  if (out.at !== total) throw new Error(`produce request encoded ${out.at} bytes, sized ${total}`);
  const encoder = new Encoder(1);
  encoder.buf = out.buf;
  encoder.offset = total;
  return encoder;
}

let installed = false;

/**
 * Makes kafkajs encode produce requests of versions 3 to 7 with `encodeProduceRequest`. kafkajs
 * looks the request factory up by version on every produce, so the wrapper takes effect for every
 * producer of this process, already connected or not.
 */
export function installProduceEncoding(): void {
  if (installed) return;
  installed = true;
  const original = produceRequests.protocol;
  produceRequests.protocol = (options) => {
    const factory = original(options);
    if (!factory || options.version < 3) return factory;
    return (args) => {
      const built = factory(args);
      const encodeWithKafkajs = built.request.encode;
      built.request.encode = async () =>
        encodeProduceRequest(args as ProduceRequestArgs) ?? encodeWithKafkajs();
      return built;
    };
  };
}
