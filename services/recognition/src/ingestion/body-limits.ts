import type { IngestAdapter } from './candidate';
import { MAX_XML_BYTES } from './xml';

const MiB = 1024 * 1024;

/**
 * The largest body each ingest format may have: what its largest valid payload needs, with a
 * margin of about a tenth. The canonical figures were measured on a batch of 1,000 face detections
 * with every field at its maximum (ids of 200 characters, eight media references of 2,048
 * characters, templates of 4,096 values; `services/recognition/test/largest-batches.ts`):
 * 34,447,000 bytes as protobuf, 108,284,988 bytes as JSON (a template value takes up to 20
 * characters as a decimal number, 4 bytes as a protobuf float).
 */
export const INGEST_BODY_LIMITS = {
  canonicalProtobuf: 36 * MiB,
  canonicalJson: 112 * MiB,
  /** ONVIF and Hikvision XML: the XML reader's own bound. */
  xml: MAX_XML_BYTES,
  /** A Hikvision alert with its pictures: the XML and four pictures of 5 MiB (the media store's cap). */
  multipart: MAX_XML_BYTES + 4 * 5 * MiB,
  /** One Frigate event message. */
  frigate: 256 * 1024,
  /** A content type no adapter reads: enough for the 415 that follows. */
  other: 64 * 1024,
} as const;

export type IngestBodyLimits = Record<keyof typeof INGEST_BODY_LIMITS, number>;

export function mediaTypeOf(contentType: string): string {
  return (contentType.split(';')[0] ?? '').trim().toLowerCase();
}

const isJson = (type: string) => type === 'application/json' || type.endsWith('+json');
const isProtobuf = (type: string) => type === 'application/x-protobuf' || type === 'application/protobuf';
const isXml = (type: string) => type === 'application/xml' || type === 'text/xml' || type.endsWith('+xml');

/** The body limit of an adapter's payload of this content type. */
export function bodyLimitOf(
  adapter: Exclude<IngestAdapter, 'canonical-kafka'>,
  contentType: string,
  limits: IngestBodyLimits = INGEST_BODY_LIMITS,
): number {
  const type = mediaTypeOf(contentType);
  switch (adapter) {
    case 'canonical':
      return isProtobuf(type) ? limits.canonicalProtobuf : isJson(type) ? limits.canonicalJson : limits.other;
    case 'onvif':
      return isXml(type) ? limits.xml : limits.other;
    case 'hikvision':
      return type.startsWith('multipart/') ? limits.multipart : isXml(type) ? limits.xml : limits.other;
    case 'frigate':
      return isJson(type) ? limits.frigate : limits.other;
  }
}
