import type { IngestAdapter, ParsedEvents } from './candidate';
import { parseCanonicalJson } from './canonical/canonical-json.parser';
import { parseCanonicalProtobuf } from './canonical/canonical-protobuf.parser';
import { IngestPayloadError } from './ingest-problems';

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

export const PARSERS: Partial<Record<IngestAdapter, PayloadParser>> = {
  canonical: parseCanonical,
};

export { mediaType };
