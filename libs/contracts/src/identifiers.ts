/**
 * The shape of the ids every service exchanges: rows, events and messages are keyed by UUIDs in
 * their text form (8-4-4-4-12 hexadecimal digits). One check for all of them, so a gRPC field, a
 * Kafka payload and a file name are held to the same rule.
 */
export const UUID_FORMAT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const LOWER_CASE_UUID_FORMAT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface UuidCheck {
  /**
   * Only the lower-case form the platform writes: for ids that name something by their exact text
   * (a file on disk), where `ABC…` and `abc…` must not both pass.
   */
  lowerCase?: boolean;
}

/** Whether `value` is a UUID in its text form (any case, unless `lowerCase`). */
export function isUuid(value: unknown, check: UuidCheck = {}): value is string {
  return typeof value === 'string' && (check.lowerCase ? LOWER_CASE_UUID_FORMAT : UUID_FORMAT).test(value);
}
