import { CeHeader, PROTOBUF_CONTENT_TYPE, type BusRecord, type OutboundEvent } from '../envelope';

/**
 * Header of an outbox row that carries many events of one topic, packed into its payload: the
 * number of events. The row's other headers are the ones its events share (spec version, source,
 * content type, trace context); the relay adds each event's own.
 */
export const OUTBOX_BATCH_HEADER = 'x-outbox-batch';

/** Keeps the length prefixes small; ids, keys, types, subjects and regions are far shorter. */
const MAX_FIELD_BYTES = 0xffff;

/** An event with its id and CloudEvents time decided, as it is packed. */
export interface PackableEvent extends OutboundEvent {
  id: string;
}

/**
 * Packs events into one payload: per event its id, key, type, time, subject and region as
 * length-prefixed UTF-8, then its value. A flat binary layout because the point of packing is to
 * spend less per event than a row with JSON headers does, on both sides.
 */
export function packEvents(events: readonly PackableEvent[]): Buffer {
  let bound = 0;
  for (const e of events) {
    bound +=
      6 * 2 +
      4 +
      3 * (e.id.length + e.key.length + e.type.length + (e.subject?.length ?? 0) + (e.region?.length ?? 0)) +
      32 +
      e.payload.length;
  }
  const out = Buffer.allocUnsafe(bound);
  let at = 0;
  const text = (value: string) => {
    const written = out.write(value, at + 2, 'utf8');
    if (written > MAX_FIELD_BYTES) throw new RangeError('outbox batch: field longer than 65,535 bytes');
    out.writeUInt16LE(written, at);
    at += 2 + written;
  };
  // Events of a batch often share their time (a transaction's changes do): formatted once per run.
  let lastTime = NaN;
  let lastTimeText = '';
  for (const e of events) {
    text(e.id);
    text(e.key);
    text(e.type);
    const time = (e.time ?? new Date()).getTime();
    if (time !== lastTime) {
      lastTime = time;
      lastTimeText = new Date(time).toISOString();
    }
    text(lastTimeText);
    text(e.subject ?? '');
    text(e.region ?? '');
    out.writeUInt32LE(e.payload.length, at);
    at += 4;
    out.set(e.payload, at);
    at += e.payload.length;
  }
  return out.subarray(0, at);
}

/** The headers a packed row keeps for all its events (without the event count). */
export function sharedBatchHeaders(source: string, extra: Record<string, string>): Record<string, string> {
  return {
    [CeHeader.SpecVersion]: '1.0',
    [CeHeader.Source]: source,
    [CeHeader.ContentType]: PROTOBUF_CONTENT_TYPE,
    ...extra,
  };
}

/**
 * The records of a packed row, each with the headers `cloudEventHeaders` would have given it.
 * Values are views into `payload`, not copies.
 */
export function unpackEvents(
  topic: string,
  rowHeaders: Record<string, string>,
  payload: Buffer,
): BusRecord[] {
  const shared = { ...rowHeaders };
  delete shared[OUTBOX_BATCH_HEADER];
  const records: BusRecord[] = [];
  let at = 0;
  const text = () => {
    const length = payload.readUInt16LE(at);
    const value = payload.toString('utf8', at + 2, at + 2 + length);
    at += 2 + length;
    return value;
  };
  while (at < payload.length) {
    const id = text();
    const key = text();
    const type = text();
    const time = text();
    const subject = text();
    const region = text();
    const length = payload.readUInt32LE(at);
    at += 4;
    if (at + length > payload.length) throw new RangeError('outbox batch: truncated event value');
    const value = payload.subarray(at, at + length);
    at += length;
    const headers: Record<string, string> = {
      ...shared,
      [CeHeader.Id]: id,
      [CeHeader.Type]: type,
      [CeHeader.Time]: time,
    };
    if (subject) headers[CeHeader.Subject] = subject;
    if (region) headers[CeHeader.Region] = region;
    records.push({ topic, key, value, headers });
  }
  return records;
}
