import { ApiKeyAuthenticator, type ApiKeyVerifier } from './api-key.authenticator';
import type { VerifiedApiKey } from './api-key.store';

class FakeStore implements ApiKeyVerifier {
  keys = new Map<string, VerifiedApiKey>();
  calls = 0;
  private listeners = new Set<(id: string) => void>();

  async verify(presented: string) {
    this.calls += 1;
    return this.keys.get(presented);
  }

  onRevoked(listener: (id: string) => void) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  revoke(presented: string) {
    const key = this.keys.get(presented);
    this.keys.delete(presented);
    if (key) for (const l of this.listeners) l(key.keyId);
  }
}

const KEY = 'sck_abcdefghijkl_secret';
const verified: VerifiedApiKey = {
  keyId: 'abcdefghijkl',
  videoSystemId: 'vs-1',
  regionCode: 'ALA',
  expiresAt: null,
};

describe('ApiKeyAuthenticator', () => {
  it('gives a video-system principal bound to the key region', async () => {
    const store = new FakeStore();
    store.keys.set(KEY, verified);
    const auth = new ApiKeyAuthenticator(store);
    await expect(auth.authenticate(KEY)).resolves.toEqual({
      ok: true,
      principal: {
        kind: 'video-system',
        subject: 'vs-1',
        roles: [],
        regions: ['ALA'],
        keyId: 'abcdefghijkl',
      },
    });
    await expect(auth.authenticate('sck_wrong')).resolves.toEqual({ ok: false, reason: 'invalid' });
  });

  it('reuses a result for at most the TTL, for good and bad keys alike', async () => {
    let clock = 0;
    const store = new FakeStore();
    store.keys.set(KEY, verified);
    const auth = new ApiKeyAuthenticator(store, { cacheTtlMs: 2000, now: () => clock, rateLimit: false });
    await auth.authenticate(KEY);
    await auth.authenticate(KEY);
    await auth.authenticate('bad');
    await auth.authenticate('bad');
    expect(store.calls).toBe(2);
    // Revoked elsewhere (another instance): this one notices once the entry is older than the TTL.
    store.keys.delete(KEY);
    clock += 1999;
    expect((await auth.authenticate(KEY)).ok).toBe(true);
    clock += 1;
    expect((await auth.authenticate(KEY)).ok).toBe(false);
  });

  it('drops a cached key at once when it is revoked through the same store', async () => {
    const store = new FakeStore();
    store.keys.set(KEY, verified);
    const auth = new ApiKeyAuthenticator(store);
    expect((await auth.authenticate(KEY)).ok).toBe(true);
    store.revoke(KEY);
    expect((await auth.authenticate(KEY)).ok).toBe(false);
  });

  it('does not trust a cached key past its expiry', async () => {
    let clock = 10_000;
    const store = new FakeStore();
    store.keys.set(KEY, { ...verified, expiresAt: new Date(10_500) });
    const auth = new ApiKeyAuthenticator(store, { now: () => clock, rateLimit: false });
    expect((await auth.authenticate(KEY)).ok).toBe(true);
    store.keys.delete(KEY);
    clock = 10_500;
    expect((await auth.authenticate(KEY)).ok).toBe(false);
  });

  it('refuses a cache TTL above 5 s', () => {
    expect(() => new ApiKeyAuthenticator(new FakeStore(), { cacheTtlMs: 5001 })).toThrow(RangeError);
  });

  it('rate-limits per key with a retry delay', async () => {
    const clock = 0;
    const store = new FakeStore();
    store.keys.set(KEY, verified);
    const auth = new ApiKeyAuthenticator(store, {
      rateLimit: { capacity: 2, refillPerSecond: 0.5 },
      now: () => clock,
    });
    expect((await auth.authenticate(KEY)).ok).toBe(true);
    expect((await auth.authenticate(KEY)).ok).toBe(true);
    await expect(auth.authenticate(KEY)).resolves.toEqual({
      ok: false,
      reason: 'rate-limited',
      retryAfterSeconds: 2,
    });
  });
});
