import type { IngestAdapter, ParsedEvents } from './candidate';
import { parseCanonicalJson } from './canonical/canonical-json.parser';
import { parseCanonicalProtobuf } from './canonical/canonical-protobuf.parser';
import { parseFrigateEvent } from './frigate/frigate.parser';
import { parseHikvisionMultipart, parseHikvisionXml } from './hikvision/hikvision.parser';
import { IngestPayloadError } from './ingest-problems';
import { parseOnvifNotify } from './onvif/onvif.parser';

export type PayloadParser = (bytes: Buffer, contentType: string) => ParsedEvents;

function mediaType(contentType: string): string {
  return (contentType.split(';')[0] ?? '').trim().toLowerCase();
}

/** The canonical adapter: JSON or protobuf, told apart by the content type. */
export const parseCanonical: PayloadParser = (bytes, contentType) => {
  const type = mediaType(contentType);
  if (type === 'application/json' || type.endsWith('+json')) return parseCanonicalJson(bytes);
  if (type === 'application/x-protobuf' || type === 'application/protobuf') {
    return parseCanonicalProtobuf(bytes, contentType);
  }
  throw IngestPayloadError.of('content-type', 'must be application/json or application/x-protobuf', 415);
};

const isXml = (type: string) => type === 'application/xml' || type === 'text/xml' || type.endsWith('+xml');

export const parseOnvif: PayloadParser = (bytes, contentType) => {
  if (!isXml(mediaType(contentType))) {
    throw IngestPayloadError.of('content-type', 'must be application/soap+xml or application/xml', 415);
  }
  return parseOnvifNotify(bytes);
};

export const parseHikvision: PayloadParser = (bytes, contentType) => {
  const type = mediaType(contentType);
  if (isXml(type)) return parseHikvisionXml(bytes);
  if (type.startsWith('multipart/')) return parseHikvisionMultipart(bytes, contentType);
  throw IngestPayloadError.of('content-type', 'must be application/xml or multipart/form-data', 415);
};

export const parseFrigate: PayloadParser = (bytes, contentType) => {
  const type = mediaType(contentType);
  if (type !== 'application/json' && !type.endsWith('+json')) {
    throw IngestPayloadError.of('content-type', 'must be application/json', 415);
  }
  return parseFrigateEvent(bytes);
};

export const PARSERS: Record<Exclude<IngestAdapter, 'canonical-kafka'>, PayloadParser> = {
  canonical: parseCanonical,
  onvif: parseOnvif,
  hikvision: parseHikvision,
  frigate: parseFrigate,
};

export { mediaType };
