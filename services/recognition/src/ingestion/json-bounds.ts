import { IngestPayloadError } from './ingest-problems';

/** What a JSON body may hold at most before it is parsed: objects and arrays, values, nesting. */
export interface JsonBounds {
  containers: number;
  values: number;
  depth: number;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_OBJECT = 0x7b;
const OPEN_ARRAY = 0x5b;
const CLOSE_OBJECT = 0x7d;
const CLOSE_ARRAY = 0x5d;

/**
 * Counts a JSON body's objects, arrays and values (commas) in one pass over its bytes, without
 * allocating, and refuses it before `JSON.parse` when it holds more than a valid payload can. A
 * parsed empty object or array costs tens of bytes for each three bytes of text, so without this
 * the memory a body takes would depend on its shape, not on its size.
 */
export function checkJsonBounds(bytes: Uint8Array, bounds: JsonBounds, field = 'body'): void {
  let containers = 0;
  let commas = 0;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (inString) {
      if (b === BACKSLASH) i++;
      else if (b === QUOTE) inString = false;
      continue;
    }
    if (b === QUOTE) inString = true;
    else if (b === COMMA) {
      if (++commas >= bounds.values) {
        throw IngestPayloadError.of(field, `must hold at most ${bounds.values} values`, 413);
      }
    } else if (b === OPEN_OBJECT || b === OPEN_ARRAY) {
      if (++containers > bounds.containers) {
        throw IngestPayloadError.of(field, `must hold at most ${bounds.containers} objects and arrays`, 413);
      }
      if (++depth > bounds.depth) {
        throw IngestPayloadError.of(field, `must nest at most ${bounds.depth} objects and arrays deep`);
      }
    } else if (b === CLOSE_OBJECT || b === CLOSE_ARRAY) depth--;
  }
}
