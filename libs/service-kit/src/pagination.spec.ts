import { BadRequestException } from '@nestjs/common';
import { decodeCursor, encodeCursor } from './pagination';

const SHAPE = { createdAt: 'timestamp', id: 'uuid' } as const;
const issued = encodeCursor({
  createdAt: '2026-11-30T10:00:00.000Z',
  id: '0b6f6a4e-4d3c-4e5f-8a9b-1c2d3e4f5a6b',
});

function refusal(cursor: string, field?: string) {
  try {
    decodeCursor(cursor, SHAPE, field);
  } catch (error) {
    expect(error).toBeInstanceOf(BadRequestException);
    return ((error as BadRequestException).getResponse() as { problems: unknown[] }).problems;
  }
  throw new Error(`${cursor} was accepted`);
}

describe('decodeCursor', () => {
  it('gives back a cursor the API issued', () => {
    expect(decodeCursor(issued, SHAPE)).toEqual({
      createdAt: '2026-11-30T10:00:00.000Z',
      id: '0b6f6a4e-4d3c-4e5f-8a9b-1c2d3e4f5a6b',
    });
    expect(decodeCursor(encodeCursor({ seq: 42 }), { seq: 'integer' })).toEqual({ seq: 42 });
    expect(decodeCursor(undefined, SHAPE)).toBeUndefined();
    expect(decodeCursor('', SHAPE)).toBeUndefined();
  });

  it.each([
    ['truncated', issued.slice(0, 20)],
    ['forged with a value of the wrong kind', encodeCursor({ createdAt: 'x', id: 'y' })],
    ['forged with a missing field', encodeCursor({ id: '0b6f6a4e-4d3c-4e5f-8a9b-1c2d3e4f5a6b' })],
    [
      'forged with an extra field',
      encodeCursor({ createdAt: '2026-11-30T10:00:00Z', id: '0b6f6a4e-4d3c-4e5f-8a9b-1c2d3e4f5a6b', x: 1 }),
    ],
    ['not an object', encodeCursor([1] as unknown as Record<string, unknown>)],
    ['not base64url', 'a+b/c='],
    ['with a NUL', 'eyJ\u0000'],
    ['overlong', 'e'.repeat(600)],
  ])('refuses a cursor %s with a 400 naming the parameter', (_, cursor) => {
    expect(refusal(cursor)).toEqual([{ field: 'cursor', reason: 'is not a cursor this API issued' }]);
  });

  it('names the parameter the endpoint reads it from', () => {
    expect(refusal('x', 'pageToken')).toEqual([{ field: 'pageToken', reason: expect.any(String) }]);
  });
});
