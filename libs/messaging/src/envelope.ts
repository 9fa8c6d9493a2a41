import { randomUUID } from 'node:crypto';

/** CloudEvents 1.0 binary-mode header names as carried in Kafka headers. */
export const CeHeader = {
  SpecVersion: 'ce_specversion',
  Id: 'ce_id',
  Source: 'ce_source',
  Type: 'ce_type',
  Time: 'ce_time',
  Subject: 'ce_subject',
  ContentType: 'content-type',
  TraceParent: 'traceparent',
  TraceState: 'tracestate',
  Region: 'region',
} as const;

/** Headers the retry and dead-letter machinery adds; never set by producers of domain events. */
export const DeliveryHeader = {
  OriginalTopic: 'x-original-topic',
  OriginalPartition: 'x-original-partition',
  OriginalOffset: 'x-original-offset',
  Attempts: 'x-attempts',
  NotBefore: 'x-not-before',
  RetryGroup: 'x-retry-group',
  Error: 'x-error',
  FailedAt: 'x-failed-at',
  ReplayedAt: 'x-replayed-at',
} as const;

export const PROTOBUF_CONTENT_TYPE = 'application/protobuf';

/** A domain event as a service hands it to the outbox. */
export interface OutboundEvent {
  topic: string;
  /** Partition key: keeps per-entity order (camera id, incident id…). */
  key: string;
  /** CloudEvents type, e.g. `kz.safecity.cameras.v1.CameraRegistered`. */
  type: string;
  /** Protobuf-encoded value. */
  payload: Uint8Array;
  /** Stable id; derive it deterministically when the event comes from a vendor id. */
  id?: string;
  subject?: string;
  region?: string;
  time?: Date;
}

/** A record as it travels on a bus: what both transports produce and consume. */
export interface BusRecord {
  topic: string;
  key: string | null;
  value: Buffer;
  headers: Record<string, string>;
}

/** A record as consumed, with its position. */
export interface ConsumedRecord extends BusRecord {
  partition: number;
  offset: string;
}

/** What an event handler receives: CloudEvents attributes, position and the decoded value. */
export interface ConsumedEvent<T = unknown> {
  id: string;
  type: string;
  source: string;
  time: Date;
  subject?: string;
  region?: string;
  key: string | null;
  /** The topic the event was published to (not the retry topic it may have come through). */
  topic: string;
  partition: number;
  offset: string;
  /** How many times processing failed before this delivery. */
  previousAttempts: number;
  headers: Record<string, string>;
  data: T;
  raw: Buffer;
}

export function cloudEventHeaders(
  event: OutboundEvent & { id: string },
  source: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  const headers: Record<string, string> = {
    [CeHeader.SpecVersion]: '1.0',
    [CeHeader.Id]: event.id,
    [CeHeader.Source]: source,
    [CeHeader.Type]: event.type,
    [CeHeader.Time]: (event.time ?? new Date()).toISOString(),
    [CeHeader.ContentType]: PROTOBUF_CONTENT_TYPE,
    ...extra,
  };
  if (event.subject) headers[CeHeader.Subject] = event.subject;
  if (event.region) headers[CeHeader.Region] = event.region;
  return headers;
}

export function newEventId(): string {
  return randomUUID();
}

export function headersToStrings(
  headers: Record<string, Buffer | string | (Buffer | string)[] | undefined> | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers) return out;
  // Every consumed record passes here: no entries array per record.
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined) continue;
    const single = Array.isArray(value) ? value[value.length - 1] : value;
    out[name] = Buffer.isBuffer(single) ? single.toString('utf8') : String(single);
  }
  return out;
}
