import { CameraLookupCache } from './camera-lookup.cache';

const camera = (id: string) => ({ id }) as never;

describe('CameraLookupCache', () => {
  let now = 0;
  const cache = () =>
    new CameraLookupCache({ ttlMs: 5_000, missTtlMs: 1_000, maxEntries: 10, now: () => now });

  beforeEach(() => (now = 1_000_000));

  it('serves a camera until its TTL and a miss for the shorter miss TTL', () => {
    const c = cache();
    c.set('*', 'vs', 'a', camera('1'));
    c.set('*', 'vs', 'b', null);
    now += 999;
    expect(c.get('*', 'vs', 'a')).toEqual({ id: '1' });
    expect(c.get('*', 'vs', 'b')).toBeNull();
    now += 2;
    expect(c.get('*', 'vs', 'b')).toBeUndefined();
    now += 4_000;
    expect(c.get('*', 'vs', 'a')).toBeUndefined();
  });

  it('keeps answers of different scopes apart and forgets all of them on invalidation', () => {
    const c = cache();
    c.set('*', 'vs', 'a', camera('1'));
    c.set('AST', 'vs', 'a', null);
    expect(c.get('*', 'vs', 'a')).toEqual({ id: '1' });
    expect(c.get('AST', 'vs', 'a')).toBeNull();
    expect(c.get('ALA', 'vs', 'a')).toBeUndefined();
    c.invalidate('vs', 'a');
    expect(c.get('*', 'vs', 'a')).toBeUndefined();
    expect(c.get('AST', 'vs', 'a')).toBeUndefined();
  });

  it('stays within its size bound, dropping the oldest cameras', () => {
    const c = cache();
    for (let i = 0; i < 25; i++) c.set('*', 'vs', `k${i}`, camera(String(i)));
    expect(c.size).toBeLessThanOrEqual(10);
    expect(c.get('*', 'vs', 'k24')).toEqual({ id: '24' });
    expect(c.get('*', 'vs', 'k0')).toBeUndefined();
  });
});
