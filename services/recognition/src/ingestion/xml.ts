import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { IngestPayloadError } from './ingest-problems';

/** Vendor XML events are a few kilobytes; anything far larger is not an event. */
export const MAX_XML_BYTES = 1024 * 1024;
const MAX_DEPTH = 32;
/**
 * An ONVIF Notify of its 1,000 messages at most has some 25,000 elements; a parsed element costs
 * far more than the four bytes `<a/>` takes.
 */
export const MAX_XML_ELEMENTS = 50_000;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  // Entities are never expanded: no internal subset, no external fetch, no billion laughs.
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
});

/**
 * Parses untrusted vendor XML. Refuses document type declarations outright (the only way to
 * declare entities), oversized and malformed documents, and nesting deeper than any vendor event.
 */
export function parseXml(bytes: Buffer): Record<string, unknown> {
  if (bytes.length > MAX_XML_BYTES)
    throw IngestPayloadError.of('body', `must be at most ${MAX_XML_BYTES} bytes`, 413);
  const text = bytes.toString('utf8');
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) {
    throw IngestPayloadError.of('body', 'document type declarations and entities are not accepted');
  }
  // Counted before anything is built from the text, so memory follows the size, not the shape.
  let depth = 0;
  let elements = 0;
  const tags = /<(\/?)[A-Za-z_][^>]*?(\/?)>/g;
  for (let match = tags.exec(text); match; match = tags.exec(text)) {
    if (match[1]) depth -= 1;
    else {
      if (++elements > MAX_XML_ELEMENTS)
        throw IngestPayloadError.of('body', `must hold at most ${MAX_XML_ELEMENTS} elements`, 413);
      if (!match[2]) depth += 1;
    }
    if (depth > MAX_DEPTH)
      throw IngestPayloadError.of('body', `must nest at most ${MAX_DEPTH} elements deep`);
  }
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    throw IngestPayloadError.of('body', `is not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`);
  }
  try {
    return parser.parse(text) as Record<string, unknown>;
  } catch (error) {
    throw IngestPayloadError.of('body', `is not well-formed XML: ${(error as Error).message.slice(0, 200)}`);
  }
}

/** Parsed XML gives a single child as a value and repeated children as an array. */
export function asArray<T = unknown>(value: unknown): T[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]) as T[];
}

/** The text of an element parsed as value or `{ '#text': value, '@attr': … }`. */
export function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value && typeof value === 'object' && '#text' in value)
    return text((value as Record<string, unknown>)['#text']);
  return undefined;
}

export function child(value: unknown, name: string): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  return (value as Record<string, unknown>)[name];
}
