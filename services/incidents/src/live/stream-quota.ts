import { Inject, Injectable } from '@nestjs/common';
import { TooFrequentError } from '@safecity/service-kit';
import type { Principal } from '@safecity/security';

export const LIVE_STREAMS_PER_USER = Symbol('LIVE_STREAMS_PER_USER');

/** A console or two per screen of an operations center; more is a leak or an attack. */
export const DEFAULT_LIVE_STREAMS_PER_USER = 10;

/** How soon a refused client may try again: by then a tab it closed has let its stream go. */
const RETRY_AFTER_SECONDS = 5;

/** The caller already holds as many live streams as one person may. */
export class TooManyStreamsError extends TooFrequentError {
  constructor(limit: number) {
    super(`at most ${limit} live streams per user at once; close one first`, {
      retryAfterSeconds: RETRY_AFTER_SECONDS,
    });
  }
}

/**
 * Live streams each identity holds open at once in this instance. Every stream keeps a socket,
 * a subscription and up to 4 MB of queued frames, so one token must not be able to open hundreds.
 */
@Injectable()
export class LiveStreamQuota {
  private readonly open = new Map<string, number>();

  constructor(@Inject(LIVE_STREAMS_PER_USER) readonly perUser: number) {}

  /** Takes one of the caller's streams, or throws {@link TooManyStreamsError}; release once. */
  acquire(principal: Principal): () => void {
    const key = `${principal.kind}:${principal.subject}`;
    const held = this.open.get(key) ?? 0;
    if (held >= this.perUser) throw new TooManyStreamsError(this.perUser);
    this.open.set(key, held + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const now = (this.open.get(key) ?? 1) - 1;
      if (now > 0) this.open.set(key, now);
      else this.open.delete(key);
    };
  }

  /** Streams the identity holds now (metrics, tests). */
  heldBy(principal: Principal): number {
    return this.open.get(`${principal.kind}:${principal.subject}`) ?? 0;
  }
}
