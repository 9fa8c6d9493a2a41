import { createHash } from 'node:crypto';
import type { Principal } from '../principal';
import type { VerifiedApiKey } from './api-key.store';
import { TokenBucketRateLimiter, type TokenBucketOptions } from './rate-limiter';

/** The part of `ApiKeyStore` authentication needs. */
export interface ApiKeyVerifier {
  verify(presented: string): Promise<VerifiedApiKey | undefined>;
  onRevoked?(listener: (keyId: string) => void): () => void;
}

/** Revocation must bite quickly on every instance; a verified key is trusted at most this long. */
export const MAX_API_KEY_CACHE_TTL_MS = 5_000;

export interface ApiKeyAuthenticatorOptions {
  /** How long a verification result is reused, ms. Default and maximum 5000. */
  cacheTtlMs?: number;
  /** Per-key limit; default 100 burst, 50/s sustained. `false` switches it off. */
  rateLimit?: Pick<TokenBucketOptions, 'capacity' | 'refillPerSecond'> | false;
  /** Cached results kept at most. Default 10 000. */
  maxCacheEntries?: number;
  now?: () => number;
}

export type ApiKeyAuthentication =
  | { ok: true; principal: Principal }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'rate-limited'; retryAfterSeconds: number };

interface CacheEntry {
  key: VerifiedApiKey | undefined;
  until: number;
}

/**
 * Checks presented keys against the store with a short-lived cache (ingest traffic would otherwise
 * cost a query per request), then applies the per-key rate limit.
 */
export class ApiKeyAuthenticator {
  private readonly cache = new Map<string, CacheEntry>();
  private readonly ttl: number;
  private readonly limiter?: TokenBucketRateLimiter;
  private readonly now: () => number;
  private readonly maxEntries: number;

  constructor(
    private readonly store: ApiKeyVerifier,
    options: ApiKeyAuthenticatorOptions = {},
  ) {
    this.ttl = options.cacheTtlMs ?? MAX_API_KEY_CACHE_TTL_MS;
    if (!(this.ttl >= 0 && this.ttl <= MAX_API_KEY_CACHE_TTL_MS)) {
      throw new RangeError(`cacheTtlMs must be between 0 and ${MAX_API_KEY_CACHE_TTL_MS}`);
    }
    this.now = options.now ?? Date.now;
    this.maxEntries = options.maxCacheEntries ?? 10_000;
    const limit = options.rateLimit ?? { capacity: 100, refillPerSecond: 50 };
    if (limit) this.limiter = new TokenBucketRateLimiter({ ...limit, now: this.now });
    // Revocations made through this process's store take effect at once, not after the TTL.
    store.onRevoked?.((keyId) => {
      for (const [hash, entry] of this.cache) if (entry.key?.keyId === keyId) this.cache.delete(hash);
    });
  }

  async authenticate(presented: string): Promise<ApiKeyAuthentication> {
    const key = await this.verified(presented);
    if (!key) return { ok: false, reason: 'invalid' };
    const decision = this.limiter?.take(key.keyId);
    if (decision && !decision.allowed) {
      return { ok: false, reason: 'rate-limited', retryAfterSeconds: decision.retryAfterSeconds };
    }
    return {
      ok: true,
      principal: {
        kind: 'video-system',
        subject: key.videoSystemId,
        roles: [],
        regions: [key.regionCode],
        keyId: key.keyId,
      },
    };
  }

  private async verified(presented: string): Promise<VerifiedApiKey | undefined> {
    // Keyed by a hash so the cache never holds usable secrets.
    const cacheKey = createHash('sha256').update(presented).digest('base64');
    const now = this.now();
    const cached = this.cache.get(cacheKey);
    if (cached && cached.until > now) return cached.key;
    const key = await this.store.verify(presented);
    const expiry = key?.expiresAt?.getTime() ?? Infinity;
    // Unknown keys are cached too: the same wrong key retried in a loop costs no queries.
    if (this.ttl > 0) {
      this.cache.delete(cacheKey);
      this.cache.set(cacheKey, { key, until: Math.min(now + this.ttl, expiry) });
      if (this.cache.size > this.maxEntries) {
        const oldest = this.cache.keys().next().value;
        if (oldest !== undefined) this.cache.delete(oldest);
      }
    }
    return key;
  }
}
