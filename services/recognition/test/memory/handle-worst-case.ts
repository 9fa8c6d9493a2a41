/**
 * Run as its own processes by `ingest-memory.integration-spec.ts`: `build <case> <file>` writes
 * a worst-case body for an ingest channel to a file; `handle <case> <file>` reads it, in a process
 * that built nothing else, hands it to what handles that channel in production and prints as JSON
 * how far the process's peak resident memory rose above what it was with the body read.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { IngestionMethod, recognition } from '@safecity/contracts';
import { INGEST_BODY_LIMITS } from '../../src/ingestion/body-limits';
import { unitsOfRawRecord } from '../../src/ingestion/kafka/raw-detections.consumer';
import { PARSERS } from '../../src/ingestion/parsers';
import { largestJsonBatch, largestProtobufBatch } from '../largest-batches';

const MiB = 1024 * 1024;
const JSON_TYPE = 'application/json';
const PROTOBUF = 'application/x-protobuf';
const BOUNDARY = 'b0undary';

function repeated(unit: string | number[], total: number, head = '', tail = ''): Buffer {
  const piece = typeof unit === 'string' ? Buffer.from(unit) : Buffer.from(unit);
  const count = Math.floor((total - head.length - tail.length) / piece.length);
  const out = Buffer.alloc(head.length + count * piece.length + tail.length);
  out.write(head, 0);
  for (let i = 0; i < count; i++) piece.copy(out, head.length + i * piece.length);
  out.write(tail, head.length + count * piece.length);
  return out;
}

function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return out;
}

/** The XML part at its limit, of empty elements, and pictures up to the multipart limit. */
function multipart(total: number): Buffer {
  const xml = repeated(
    '<a/>',
    INGEST_BODY_LIMITS.xml,
    '<EventNotificationAlert>',
    '</EventNotificationAlert>',
  );
  const parts: Buffer[] = [
    Buffer.from(
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="alert"; filename="alert.xml"\r\nContent-Type: application/xml\r\n\r\n`,
    ),
    xml,
  ];
  let size = parts.reduce((n, p) => n + p.length, 0);
  for (let i = 0; size < total - MiB && i < 15; i++) {
    const head = Buffer.from(
      `\r\n--${BOUNDARY}\r\nContent-Disposition: form-data; name="faceImage"; filename="f${i}.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`,
    );
    const picture = Buffer.alloc(Math.min(5 * MiB, total - size - head.length - 64), 0xff);
    parts.push(head, picture);
    size += head.length + picture.length;
  }
  parts.push(Buffer.from(`\r\n--${BOUNDARY}--\r\n`));
  return Buffer.concat(parts);
}

export interface MemoryCase {
  /** The body limit of the channel. */
  limit: number;
  build(): Buffer;
  handle(body: Buffer): unknown;
}

export const CASES: Record<string, MemoryCase> = {
  // 0a 00: an empty submission, two bytes each.
  'canonical protobuf, empty submissions': {
    limit: INGEST_BODY_LIMITS.canonicalProtobuf,
    build: () => repeated([0x0a, 0x00], INGEST_BODY_LIMITS.canonicalProtobuf),
    handle: (b) => PARSERS.canonical(b, PROTOBUF),
  },
  // One submission of empty media references (32 00), two bytes each.
  'canonical protobuf, one submission of empty media': {
    limit: INGEST_BODY_LIMITS.canonicalProtobuf,
    build: () => {
      const inner = repeated([0x32, 0x00], INGEST_BODY_LIMITS.canonicalProtobuf - 16);
      return Buffer.concat([Buffer.from([0x0a, ...varint(inner.length)]), inner]);
    },
    handle: (b) => PARSERS.canonical(b, PROTOBUF),
  },
  'canonical protobuf, the largest valid batch': {
    limit: INGEST_BODY_LIMITS.canonicalProtobuf,
    build: largestProtobufBatch,
    handle: (b) => PARSERS.canonical(b, PROTOBUF),
  },
  'canonical JSON, empty objects': {
    limit: INGEST_BODY_LIMITS.canonicalJson,
    build: () => repeated('{},', INGEST_BODY_LIMITS.canonicalJson, '{"detections":[', '{}]}'),
    handle: (b) => PARSERS.canonical(b, JSON_TYPE),
  },
  'canonical JSON, short strings': {
    limit: INGEST_BODY_LIMITS.canonicalJson,
    build: () => repeated('"ab",', INGEST_BODY_LIMITS.canonicalJson, '{"detections":[', '"ab"]}'),
    handle: (b) => PARSERS.canonical(b, JSON_TYPE),
  },
  'canonical JSON, the largest valid batch': {
    limit: INGEST_BODY_LIMITS.canonicalJson,
    build: largestJsonBatch,
    handle: (b) => PARSERS.canonical(b, JSON_TYPE),
  },
  'ONVIF XML, empty elements': {
    limit: INGEST_BODY_LIMITS.xml,
    build: () => repeated('<a/>', INGEST_BODY_LIMITS.xml, '<Notify>', '</Notify>'),
    handle: (b) => PARSERS.onvif(b, 'application/soap+xml'),
  },
  'Hikvision XML, empty elements': {
    limit: INGEST_BODY_LIMITS.xml,
    build: () =>
      repeated('<a/>', INGEST_BODY_LIMITS.xml, '<EventNotificationAlert>', '</EventNotificationAlert>'),
    handle: (b) => PARSERS.hikvision(b, 'application/xml'),
  },
  'Hikvision multipart, XML of empty elements and pictures': {
    limit: INGEST_BODY_LIMITS.multipart,
    build: () => multipart(INGEST_BODY_LIMITS.multipart),
    handle: (b) => PARSERS.hikvision(b, `multipart/form-data; boundary=${BOUNDARY}`),
  },
  'Frigate JSON (HTTP and MQTT), empty arrays': {
    limit: INGEST_BODY_LIMITS.frigate,
    build: () => repeated('[],', INGEST_BODY_LIMITS.frigate, '{"type":"new","after":[', '[]]}'),
    handle: (b) => PARSERS.frigate(b, JSON_TYPE),
  },
  'raw Kafka topic, a protobuf payload of empty submissions': {
    limit: INGEST_BODY_LIMITS.canonicalProtobuf,
    build: () => {
      const raw = {
        videoSystemId: 'f0e2a7a4-6c39-4d59-9d1b-5d0c2f7a4c11',
        vendorEventId: '',
        regionCode: 'ALA',
        ingestionMethod: IngestionMethod.INGESTION_METHOD_CANONICAL_PUSH,
        contentType: PROTOBUF,
        payload: repeated([0x0a, 0x00], INGEST_BODY_LIMITS.canonicalProtobuf),
        receivedAt: new Date(),
      };
      return Buffer.from(recognition.RawDetectionReceived.encode({ raw }).finish());
    },
    handle: (b) => unitsOfRawRecord(recognition.RawDetectionReceived.decode(b).raw),
  },
};

if (require.main === module) {
  const [mode, name, file] = process.argv.slice(2) as [string, string, string];
  const memoryCase = CASES[name];
  if (!memoryCase) throw new Error(`no case ${name}`);
  if (mode === 'build') {
    writeFileSync(file, memoryCase.build());
  } else {
    const body = readFileSync(file);
    global.gc?.();
    // Linux: writing 5 to clear_refs resets the peak (VmHWM) to what is resident now.
    writeFileSync('/proc/self/clear_refs', '5');
    const before = process.memoryUsage.rss();
    let outcome: string;
    try {
      const result = memoryCase.handle(body) as { candidates?: unknown[]; units?: unknown[] };
      outcome = `handled ${(result.candidates ?? result.units ?? []).length}`;
    } catch (error) {
      outcome = `refused: ${(error as Error).message.slice(0, 120)}`;
    }
    const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    const growthBytes = Math.max(0, Number(hwm![1]) * 1024 - before);
    const report = { name, limit: memoryCase.limit, bodyBytes: body.length, growthBytes, outcome };
    process.stdout.write(`${JSON.stringify(report)}\n`);
  }
}
