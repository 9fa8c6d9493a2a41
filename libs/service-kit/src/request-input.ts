/**
 * Checks every service makes of request input before it reaches a DTO, whatever the route or the
 * transport: text PostgreSQL cannot store, and JSON nested deeper than any request needs.
 */

/** Deepest nesting of objects and arrays a JSON body may have; DTOs nest a handful of levels. */
export const MAX_JSON_DEPTH = 32;

/** Why a value with a NUL character is refused. */
export const NUL_CHARACTER_REASON = 'must not contain the NUL character (\\u0000)';

/** Beyond this depth a value was already refused by the JSON depth limit; the walk stops there. */
const MAX_WALK_DEPTH = MAX_JSON_DEPTH + 8;

const NUL = '\u0000';

function join(path: string, key: string | number): string {
  return path === '' ? String(key) : `${path}.${key}`;
}

/**
 * The path (`subject.notes`, `media.0.uri`, or `prefix` itself) of the first string or object key
 * in `value` that holds a NUL character, or undefined when there is none. PostgreSQL refuses
 * U+0000 in text and jsonb, so such input would otherwise fail in the database.
 */
export function pathOfNulCharacter(value: unknown, prefix = '', depth = 0): string | undefined {
  if (typeof value === 'string') return value.includes(NUL) ? prefix : undefined;
  if (typeof value !== 'object' || value === null || depth > MAX_WALK_DEPTH) return undefined;
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = pathOfNulCharacter(value[i], join(prefix, i), depth + 1);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  for (const [key, item] of Object.entries(value)) {
    if (key.includes(NUL)) return join(prefix, key.replaceAll(NUL, '\\u0000'));
    const found = pathOfNulCharacter(item, join(prefix, key), depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Whether JSON text nests objects and arrays deeper than `max`, read in one pass over the bytes
 * before parsing: validating and transforming a deeply nested value recurses once per level, and
 * 50,000 levels overflow the stack.
 */
export function jsonNestsDeeperThan(text: Buffer, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const byte = text[i];
    if (inString) {
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) {
      inString = true;
    } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
      if (++depth > max) return true;
    } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
      depth--;
    }
  }
  return false;
}

/** body-parser's `verify` hook: refuses (400) a body nested deeper than {@link MAX_JSON_DEPTH}. */
export function refuseDeeplyNestedJson(_req: unknown, _res: unknown, body: Buffer): void {
  if (jsonNestsDeeperThan(body, MAX_JSON_DEPTH)) {
    throw Object.assign(new Error(`must not nest objects and arrays deeper than ${MAX_JSON_DEPTH} levels`), {
      status: 400,
      type: 'entity.too.deep',
    });
  }
}
