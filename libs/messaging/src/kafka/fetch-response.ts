import Decoder from 'kafkajs/src/protocol/decoder';
import decodeMessagesWithKafkajs from 'kafkajs/src/protocol/requests/fetch/v4/decodeMessages';
import fetchRequests from 'kafkajs/src/protocol/requests/fetch';

/**
 * The records of a Kafka fetch response (version 11, record batches v2, uncompressed), decoded into
 * the same objects kafkajs makes, with a fraction of its work.
 *
 * kafkajs 2.2.4 decodes each record through a fresh decoder, 64-bit `BigInt` arithmetic for its
 * timestamp and offset (parsed back from strings, then printed again), and builds the headers
 * object by spreading it once per header: 5–9 µs per record with the platform's CloudEvents
 * headers, a sixth of what a consumer does per detection. Here offsets and timestamps stay
 * JavaScript numbers while they are exact (BigInt only past 2^53), and headers go into one object.
 * A property test holds the result equal to kafkajs' own (`fetch-response.spec.ts`); a partition
 * with compressed or legacy-format batches is left to kafkajs entirely.
 */

const MAGIC_BYTE = 2;
const MAGIC_OFFSET = 16;
const RECORD_BATCH_OVERHEAD = 49;
const COMPRESSION_CODEC_MASK = 0x07;
const TIMESTAMP_TYPE_FLAG_MASK = 0x08;
const TRANSACTIONAL_FLAG_MASK = 0x10;
const CONTROL_FLAG_MASK = 0x20;
const CREATE_TIME = 0;
const LOG_APPEND_TIME = 1;

type Headers = Record<string, Buffer | null | (Buffer | null)[]>;

interface BatchContext {
  firstOffset: string;
  firstTimestamp: string;
  partitionLeaderEpoch: number;
  inTransaction: boolean;
  isControlBatch: boolean;
  lastOffsetDelta: number;
  producerId: string;
  producerEpoch: number;
  firstSequence: number;
  maxTimestamp: string;
  timestampType: number;
  magicByte: number;
}

export interface FetchedRecord {
  magicByte: number;
  attributes: number;
  timestamp: string;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Headers;
  isControlRecord: boolean;
  batchContext: BatchContext;
}

/** Whether the messages at `at` (their int32 size first) are batches this decoder reads. */
function readsMessagesAt(buffer: Buffer, at: number): boolean {
  if (buffer.length - at < 4) return false;
  const size = buffer.readInt32BE(at);
  if (size <= 0 || buffer.length - at - 4 < size) return true; // kafkajs answers [] alike
  const start = at + 4;
  const end = start + size;
  if (size <= MAGIC_OFFSET || buffer.readInt8(start + MAGIC_OFFSET) !== MAGIC_BYTE) return false;
  for (let batch = start; end - batch >= RECORD_BATCH_OVERHEAD;) {
    if ((buffer.readInt16BE(batch + 21) & COMPRESSION_CODEC_MASK) !== 0) return false;
    batch += 12 + buffer.readInt32BE(batch + 8);
  }
  return true;
}

/** kafkajs' varint: 7 bits a byte, added rather than or-ed, then zigzag. */
class RecordReader {
  at = 0;
  /** Where the record being read ends: no field may reach past it. */
  end: number;
  constructor(readonly buffer: Buffer) {
    this.end = buffer.length;
  }

  varInt(): number {
    const buffer = this.buffer;
    let byte: number;
    let result = 0;
    let shift = 0;
    do {
      byte = buffer[this.at++];
      result += (byte & 0x7f) << shift;
      shift += 7;
    } while (byte >= 0x80);
    return (result >>> 1) ^ -(result & 1);
  }

  /** A varlong as a number while it is exact (up to seven bytes), otherwise through kafkajs. */
  varLong(): number | string {
    const buffer = this.buffer;
    const start = this.at;
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 7; i++) {
      const byte = buffer[this.at++];
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value % 2 === 0 ? value / 2 : -(value + 1) / 2;
      scale *= 128;
    }
    const decoder = new Decoder(buffer);
    decoder.offset = start;
    const long = decoder.readVarLong().toString();
    this.at = decoder.offset;
    return long;
  }

  /** A length-prefixed field: its start, with `at` moved past it, or -1 for null. */
  private field(): number {
    const length = this.varInt();
    if (length === -1) return -1;
    if (length < 0 || this.at + length > this.end)
      throw new RangeError(`record field of ${length} bytes past the end of its record`);
    const start = this.at;
    this.at += length;
    return start;
  }

  bytes(): Buffer | null {
    const start = this.field();
    return start < 0 ? null : this.buffer.subarray(start, this.at);
  }

  text(): string | null {
    const start = this.field();
    return start < 0 ? null : this.buffer.toString('utf8', start, this.at);
  }
}

/** `base + delta` printed as kafkajs prints its 64-bit sum. */
function plus(base: string, baseNumber: number, delta: number | string): string {
  if (typeof delta === 'number') {
    const sum = baseNumber + delta;
    if (Number.isSafeInteger(baseNumber) && Number.isSafeInteger(sum)) return String(sum);
  }
  return (BigInt(base) + BigInt(delta)).toString();
}

function addHeader(headers: Headers, key: string, value: Buffer | null): void {
  const existing = headers[key];
  const next =
    existing === undefined ? value : Array.isArray(existing) ? existing.concat([value]) : [existing, value];
  // A key named __proto__ must become a property, as kafkajs' object spread makes it.
  if (key === '__proto__')
    Object.defineProperty(headers, key, {
      value: next,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  else headers[key] = next;
}

/** The record from `reader.at` to `reader.end`. */
function decodeRecord(
  reader: RecordReader,
  context: BatchContext,
  firstTimestamp: number,
  firstOffset: number,
): FetchedRecord {
  const attributes = reader.buffer.readInt8(reader.at++);
  const timestampDelta = reader.varLong();
  const timestamp =
    context.timestampType === LOG_APPEND_TIME && context.maxTimestamp
      ? context.maxTimestamp
      : plus(context.firstTimestamp, firstTimestamp, timestampDelta);
  const offset = plus(context.firstOffset, firstOffset, reader.varInt());
  const key = reader.bytes();
  const value = reader.bytes();
  const headers: Headers = {};
  const count = reader.varInt();
  for (let i = 0; i < count; i++) {
    const headerKey = reader.text();
    addHeader(headers, headerKey as string, reader.bytes());
  }
  return {
    magicByte: context.magicByte,
    attributes,
    timestamp,
    offset,
    key,
    value,
    headers,
    isControlRecord: context.isControlBatch,
    batchContext: context,
  };
}

function decodeBatches(messages: Buffer): FetchedRecord[] {
  const records: FetchedRecord[] = [];
  const decoder = new Decoder(messages);
  while (decoder.canReadBytes(RECORD_BATCH_OVERHEAD)) {
    const firstOffset = decoder.readInt64().toString();
    const length = decoder.readInt32();
    const start = decoder.offset;
    // The tail of a fetch may end inside a batch (maxBytes); kafkajs stops there too.
    if (messages.length - start < length) break;
    decoder.offset = start;
    const partitionLeaderEpoch = decoder.readInt32();
    const magicByte = decoder.readInt8();
    decoder.readInt32(); // CRC, not checked by kafkajs either
    const attributes = decoder.readInt16();
    const lastOffsetDelta = decoder.readInt32();
    const firstTimestamp = decoder.readInt64().toString();
    const maxTimestamp = decoder.readInt64().toString();
    const producerId = decoder.readInt64().toString();
    const producerEpoch = decoder.readInt16();
    const firstSequence = decoder.readInt32();
    const context: BatchContext = {
      firstOffset,
      firstTimestamp,
      partitionLeaderEpoch,
      inTransaction: (attributes & TRANSACTIONAL_FLAG_MASK) > 0,
      isControlBatch: (attributes & CONTROL_FLAG_MASK) > 0,
      lastOffsetDelta,
      producerId,
      producerEpoch,
      firstSequence,
      maxTimestamp,
      timestampType: (attributes & TIMESTAMP_TYPE_FLAG_MASK) > 0 ? LOG_APPEND_TIME : CREATE_TIME,
      magicByte,
    };
    const count = decoder.readInt32();
    const baseTimestamp = Number(firstTimestamp);
    const baseOffset = Number(firstOffset);
    const batchEnd = start + length;
    // One reader for the batch, bounded by each record in turn: no view or reader per record.
    const reader = new RecordReader(messages);
    reader.at = decoder.offset;
    for (let i = 0; i < count; i++) {
      reader.end = batchEnd;
      const recordLength = reader.varInt();
      const recordEnd = reader.at + recordLength;
      if (recordLength < 0 || recordEnd > batchEnd)
        throw new RangeError(`record of ${recordLength} bytes past the end of its batch`);
      reader.end = recordEnd;
      records.push(decodeRecord(reader, context, baseTimestamp, baseOffset));
      reader.at = recordEnd;
    }
    decoder.offset = batchEnd;
  }
  return records;
}

async function decodeMessages(decoder: Decoder): Promise<unknown[]> {
  if (!readsMessagesAt(decoder.buffer, decoder.offset)) return decodeMessagesWithKafkajs(decoder);
  const size = decoder.readInt32();
  if (size <= 0 || !decoder.canReadBytes(size)) return [];
  const messages = decoder.buffer.subarray(decoder.offset, decoder.offset + size);
  decoder.offset += size;
  return decodeBatches(messages);
}

async function decodePartition(decoder: Decoder) {
  return {
    partition: decoder.readInt32(),
    errorCode: decoder.readInt16(),
    highWatermark: decoder.readInt64().toString(),
    lastStableOffset: decoder.readInt64().toString(),
    lastStartOffset: decoder.readInt64().toString(),
    abortedTransactions: decoder.readArray((d) => ({
      producerId: d.readInt64().toString(),
      firstOffset: d.readInt64().toString(),
    })),
    preferredReadReplica: decoder.readInt32(),
    messages: await decodeMessages(decoder),
  };
}

/** A fetch response of version 11, as kafkajs' `fetch/v11/response` decodes it. */
export async function decodeFetchResponse(data: Buffer) {
  const decoder = new Decoder(data);
  const clientSideThrottleTime = decoder.readInt32();
  const errorCode = decoder.readInt16();
  const sessionId = decoder.readInt32();
  const responses = await decoder.readArrayAsync(async (d) => ({
    topicName: d.readString(),
    partitions: await d.readArrayAsync(decodePartition),
  }));
  // As kafkajs: the broker did not throttle this request; a client-side throttle is honoured apart.
  return { throttleTime: 0, clientSideThrottleTime, errorCode, sessionId, responses };
}

let installed = false;

/**
 * Makes kafkajs decode fetch responses of version 11 (what Kafka 2.3 and later answer) with
 * `decodeFetchResponse`, for every consumer of this process.
 */
export function installFetchDecoding(): void {
  if (installed) return;
  installed = true;
  const original = fetchRequests.protocol;
  fetchRequests.protocol = (options) => {
    const factory = original(options);
    if (!factory || options.version !== 11) return factory;
    return (args) => {
      const built = factory(args);
      return { ...built, response: { ...built.response, decode: decodeFetchResponse } };
    };
  };
}
