export interface TokenBucketOptions {
  /** Burst size: requests allowed at once after a quiet period. */
  capacity: number;
  /** Sustained rate, requests per second. */
  refillPerSecond: number;
  /** Buckets kept at most; full (idle) ones are dropped first. Default 10 000. */
  maxBuckets?: number;
  now?: () => number;
}

export type RateLimitDecision =
  { allowed: true; remaining: number } | { allowed: false; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/**
 * One token bucket per key, in memory. Each instance limits on its own: with N replicas behind a
 * load balancer a key gets up to N times the rate, which bounds abuse without a shared store.
 */
export class TokenBucketRateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly now: () => number;
  private readonly maxBuckets: number;

  constructor(private readonly options: TokenBucketOptions) {
    if (!(options.capacity >= 1) || !(options.refillPerSecond > 0)) {
      throw new RangeError('a token bucket needs capacity >= 1 and refillPerSecond > 0');
    }
    this.now = options.now ?? Date.now;
    this.maxBuckets = options.maxBuckets ?? 10_000;
  }

  take(key: string, cost = 1): RateLimitDecision {
    const now = this.now();
    const bucket = this.refill(
      this.buckets.get(key) ?? { tokens: this.options.capacity, updatedAt: now },
      now,
    );
    if (bucket.tokens >= cost) {
      bucket.tokens -= cost;
      this.store(key, bucket);
      return { allowed: true, remaining: Math.floor(bucket.tokens) };
    }
    this.store(key, bucket);
    const missing = cost - bucket.tokens;
    return {
      allowed: false,
      retryAfterSeconds: Math.max(1, Math.ceil(missing / this.options.refillPerSecond)),
    };
  }

  private refill(bucket: Bucket, now: number): Bucket {
    const elapsed = Math.max(0, now - bucket.updatedAt) / 1000;
    return {
      tokens: Math.min(this.options.capacity, bucket.tokens + elapsed * this.options.refillPerSecond),
      updatedAt: now,
    };
  }

  private store(key: string, bucket: Bucket): void {
    this.buckets.delete(key);
    this.buckets.set(key, bucket);
    if (this.buckets.size <= this.maxBuckets) return;
    const now = this.now();
    for (const [k, b] of this.buckets) {
      if (this.refill(b, now).tokens >= this.options.capacity) this.buckets.delete(k);
      if (this.buckets.size <= this.maxBuckets) return;
    }
    // Nothing idle to drop: forget the least recently used (Map iterates in insertion order).
    const oldest = this.buckets.keys().next().value;
    if (oldest !== undefined) this.buckets.delete(oldest);
  }
}
