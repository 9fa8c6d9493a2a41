/**
 * The moment a dependency answers again, for everything in the process that waits for it.
 *
 * While the database (or another dependency) is out, consumers, the raw-topic ingest and the
 * outbox relay each back off between attempts, up to seconds, so as not to hammer it. Alone, each
 * would notice its return up to one back-off late, and along a chain of them (recognition's
 * ingest, its relay, the next service's consumer) those lates add up. So while anything waits, one
 * cheap probe per process (a `SELECT 1`) asks every `probeEveryMs`; when it answers after having
 * failed, every waiter is woken at once and tries again. A waiter whose attempt succeeds after an
 * outage wakes the others too (`answered`), which covers dependencies no probe asks (another
 * service over gRPC, the broker).
 */
export class DependencyReturn {
  private readonly waiters = new Set<() => void>();
  private readonly probes = new Set<() => Promise<unknown>>();
  private readonly listeners = new Set<() => void>();
  private probing = false;

  constructor(private readonly probeEveryMs = 250) {}

  /** Waits `ms`, or less: true when woken early because a dependency answers again. */
  wait(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(wake);
        resolve(false);
      }, ms);
      this.waiters.add(wake);
      this.probeWhileWaiting();
    });
  }

  /** Something in this process succeeded against a dependency that had failed: wake every waiter. */
  answered(): void {
    for (const wake of [...this.waiters]) wake();
    for (const listener of this.listeners) listener();
  }

  /** Asks whether a dependency answers, while anything waits; returns the way to stop asking. */
  addProbe(probe: () => Promise<unknown>): () => void {
    this.probes.add(probe);
    return () => this.probes.delete(probe);
  }

  /** Called on every `answered`, for what waits in its own way (the outbox relay's thread). */
  onAnswered(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get waiting(): number {
    return this.waiters.size;
  }

  private probeWhileWaiting(): void {
    if (this.probing || this.probes.size === 0) return;
    this.probing = true;
    void (async () => {
      // Only an answer after a failure is a return: a dependency that answered all along is not
      // what the waiters wait for, and waking them would only make them fail again at once.
      let failed = false;
      try {
        while (this.waiters.size > 0 && this.probes.size > 0) {
          await new Promise((resolve) => setTimeout(resolve, this.probeEveryMs).unref());
          const answers = await Promise.all(
            [...this.probes].map((probe) =>
              probe().then(
                () => true,
                () => false,
              ),
            ),
          );
          if (answers.every(Boolean)) {
            if (failed) {
              failed = false;
              this.answered();
            }
          } else failed = true;
        }
      } finally {
        this.probing = false;
      }
    })();
  }
}

/** The process's (or worker thread's) one instance. */
export const dependencyReturn = new DependencyReturn();
