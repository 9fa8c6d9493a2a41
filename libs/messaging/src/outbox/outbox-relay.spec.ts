import type { BusRecord } from '../envelope';
import { bySize } from './outbox-relay';

const record = (n: number, bytes: number): BusRecord => ({
  topic: 't',
  key: null,
  value: Buffer.alloc(bytes, n),
  headers: {},
});

describe('publish requests of a relay batch', () => {
  it('keep the order and stay within the byte limit', () => {
    const records = Array.from({ length: 10 }, (_, i) => record(i, 100));
    const parts = bySize(records, 350);
    expect(parts.map((p) => p.length)).toEqual([3, 3, 3, 1]);
    expect(parts.flat()).toEqual(records);
  });

  it('send a record larger than the limit alone rather than not at all', () => {
    const parts = bySize([record(1, 10), record(2, 1_000), record(3, 10)], 100);
    expect(parts.map((p) => p.map((r) => r.value.length))).toEqual([[10], [1_000], [10]]);
  });

  it('count headers and keys', () => {
    const withHeaders = { ...record(1, 10), key: 'k'.repeat(40), headers: { h: 'v'.repeat(49) } };
    expect(bySize([withHeaders, withHeaders], 100)).toHaveLength(2);
    expect(bySize([withHeaders, withHeaders], 200)).toHaveLength(1);
  });
});
