import fc from 'fast-check';
import { TokenBucketRateLimiter } from './rate-limiter';

describe('TokenBucketRateLimiter', () => {
  it('allows a burst, then refills at the sustained rate', () => {
    let clock = 0;
    const limiter = new TokenBucketRateLimiter({ capacity: 3, refillPerSecond: 1, now: () => clock });
    expect([1, 2, 3].map(() => limiter.take('k').allowed)).toEqual([true, true, true]);
    expect(limiter.take('k')).toEqual({ allowed: false, retryAfterSeconds: 1 });
    clock += 1000;
    expect(limiter.take('k').allowed).toBe(true);
    expect(limiter.take('k').allowed).toBe(false);
    // Other keys have their own bucket.
    expect(limiter.take('other').allowed).toBe(true);
  });

  it('says how long to wait, in whole seconds', () => {
    let clock = 0;
    const limiter = new TokenBucketRateLimiter({ capacity: 1, refillPerSecond: 0.25, now: () => clock });
    limiter.take('k');
    expect(limiter.take('k')).toEqual({ allowed: false, retryAfterSeconds: 4 });
    clock += 3000;
    expect(limiter.take('k')).toEqual({ allowed: false, retryAfterSeconds: 1 });
  });

  it('never lets more through than capacity + rate × time', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 20 }),
        fc.array(fc.integer({ min: 0, max: 500 }), { minLength: 1, maxLength: 200 }),
        (capacity, rate, gaps) => {
          let clock = 0;
          const limiter = new TokenBucketRateLimiter({ capacity, refillPerSecond: rate, now: () => clock });
          let allowed = 0;
          for (const gap of gaps) {
            clock += gap;
            if (limiter.take('k').allowed) allowed += 1;
          }
          return allowed <= capacity + Math.floor((rate * clock) / 1000);
        },
      ),
    );
  });

  it('keeps a bounded number of buckets', () => {
    const limiter = new TokenBucketRateLimiter({
      capacity: 1,
      refillPerSecond: 1,
      maxBuckets: 10,
      now: () => 0,
    });
    for (let i = 0; i < 100; i++) limiter.take(`k${i}`);
    expect((limiter as unknown as { buckets: Map<string, unknown> }).buckets.size).toBeLessThanOrEqual(10);
  });
});
