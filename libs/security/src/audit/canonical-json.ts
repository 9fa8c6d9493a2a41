/** A JSON value as it comes back from PostgreSQL's jsonb. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * What `value` becomes after a round trip through JSON (and so through jsonb): dates as ISO
 * strings, undefined members dropped, NaN and Infinity as null. Hashing this rather than the
 * caller's object makes the hash computed at write time equal the one recomputed from the row.
 */
export function toJsonValue(value: unknown): JsonValue {
  const text = JSON.stringify(value);
  return text === undefined ? null : (JSON.parse(text) as JsonValue);
}

/**
 * Deterministic JSON: object keys sorted by code point at every depth, no whitespace. jsonb does
 * not keep key order, so only a canonical form can be re-hashed after reading a row back.
 */
export function canonicalJson(value: unknown): string {
  return serialise(toJsonValue(value));
}

function serialise(value: JsonValue): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(serialise).join(',')}]`;
  const keys = Object.keys(value).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${keys.map((key) => `${JSON.stringify(key)}:${serialise(value[key] as JsonValue)}`).join(',')}}`;
}
