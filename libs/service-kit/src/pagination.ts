import { BadRequestException } from '@nestjs/common';

export const MAX_PAGE_SIZE = 500;

/** Opaque cursor: base64url of a JSON object (e.g. the sort key of the last row served). */
export function encodeCursor(value: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

export function decodeCursor<T extends Record<string, unknown>>(cursor: string | undefined): T | undefined {
  if (!cursor) return undefined;
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof value !== 'object' || value === null) throw new Error('not an object');
    return value as T;
  } catch {
    throw new BadRequestException({
      statusCode: 400,
      message: 'request validation failed',
      problems: [{ field: 'cursor', reason: 'cursor is not one this API issued' }],
    });
  }
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
