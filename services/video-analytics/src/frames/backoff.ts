/** Exponential back-off from failing cameras: 1 s, 2 s, 4 s … up to a minute, reset by a good frame. */
export class Backoff {
  private failures = 0;

  constructor(
    private readonly initialMs = 1_000,
    private readonly maxMs = 60_000,
  ) {}

  /** The wait before the next attempt, after one more failure. */
  next(): number {
    const wait = Math.min(this.maxMs, this.initialMs * 2 ** this.failures);
    this.failures++;
    return wait;
  }

  reset(): void {
    this.failures = 0;
  }

  get failing(): number {
    return this.failures;
  }
}
