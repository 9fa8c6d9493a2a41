import { BadRequestException } from '@nestjs/common';
import { isUuid } from '@safecity/contracts';

export const MAX_PAGE_SIZE = 500;

/** What a cursor field holds: a row id, an ISO timestamp, or a sequence number. */
export type CursorFieldKind = 'uuid' | 'timestamp' | 'integer';

/** The fields of a cursor and their kinds, e.g. `{ createdAt: 'timestamp', id: 'uuid' }`. */
export type CursorShape = Record<string, CursorFieldKind>;

type FieldValue<K extends CursorFieldKind> = K extends 'integer' ? number : string;

/** The decoded cursor of a shape. */
export type CursorOf<S extends CursorShape> = { [F in keyof S]: FieldValue<S[F]> };

const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})$/;
/** Cursors are small; a longer one was not issued by the platform. */
const MAX_CURSOR_LENGTH = 512;

function fits(kind: CursorFieldKind, value: unknown): boolean {
  switch (kind) {
    case 'uuid':
      return isUuid(value);
    case 'timestamp':
      return typeof value === 'string' && ISO_TIMESTAMP.test(value) && !Number.isNaN(Date.parse(value));
    case 'integer':
      return typeof value === 'number' && Number.isSafeInteger(value);
  }
}

/** Opaque cursor: base64url of a JSON object (e.g. the sort key of the last row served). */
export function encodeCursor(value: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

/**
 * The cursor a page was asked after, checked against the shape the endpoint issues: exactly its
 * fields, each of its kind. A forged, truncated or foreign cursor is a 400 naming the parameter
 * (`field`, default `cursor`), never a value that reaches the database and fails there.
 */
export function decodeCursor<S extends CursorShape>(
  cursor: string | undefined,
  shape: S,
  field = 'cursor',
): CursorOf<S> | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  let value: unknown;
  try {
    if (cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor))
      throw new Error('not base64url');
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    value = undefined;
  }
  const keys = Object.keys(shape);
  const valid =
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.keys(value).length === keys.length &&
    keys.every((key) => fits(shape[key], (value as Record<string, unknown>)[key]));
  if (!valid) {
    throw new BadRequestException({
      statusCode: 400,
      error: 'Bad Request',
      message: 'request validation failed',
      problems: [{ field, reason: 'is not a cursor this API issued' }],
    });
  }
  return value as CursorOf<S>;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
