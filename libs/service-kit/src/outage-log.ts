import type { LoggerService } from '@nestjs/common';
import { loggableError } from '@safecity/observability';

/** Without a failure for this long, a dependency counts as answering again. */
const DEFAULT_QUIET_MS = 5_000;

/**
 * The log of a dependency outage as seen by one edge (HTTP, gRPC): one line when calls start
 * failing for it and one when they have stopped failing, with how long it lasted and how many calls
 * were refused — not a line per call, which in an outage is thousands of the same line. The end is
 * a quiet period without such a failure, since the edge only hears of failures.
 */
export class OutageLog {
  private since: number | null = null;
  private lastAt = 0;
  private count = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly log: Pick<LoggerService, 'warn' | 'log'>,
    private readonly edge: string,
    private readonly quietMs = DEFAULT_QUIET_MS,
  ) {}

  /** A call was refused because a dependency did not answer. */
  refused(error: unknown): void {
    const now = Date.now();
    this.count++;
    this.lastAt = now;
    if (this.since === null) {
      this.since = now;
      this.log.warn({
        msg: `a dependency is unavailable; ${this.edge} are answered as unavailable until it returns`,
        err: loggableError(error),
      });
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.ended(), this.quietMs);
    this.timer.unref();
  }

  private ended(): void {
    if (this.since === null) return;
    this.log.log({
      msg: `dependencies answer again; ${this.edge} served as usual`,
      outageMs: this.lastAt - this.since,
      refused: this.count,
    });
    this.since = null;
    this.count = 0;
    this.timer = null;
  }
}
