import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { RegionAccess, RegionScope } from '@safecity/security';
import type { EntityManager } from 'typeorm';
import type { WatchlistChangeKind } from './watchlists.repository';

/** A matcher's in-memory index, kept in step with the watchlist tables. */
export interface WatchlistFollower {
  readonly name: string;
  /** Replaces the whole index from the tables (at start). */
  load(manager: EntityManager): Promise<void>;
  /** Re-reads these objects (added, changed or gone) into the index; must be idempotent. */
  apply(manager: EntityManager, kind: WatchlistChangeKind, ids: readonly string[]): Promise<void>;
  /** Gives back the memory of entries that expired (they stopped matching at their expiry already). */
  sweep(): void;
}

const PULL_LIMIT = 50_000;
/** Longer than any transaction that appends to the log is expected to stay open. */
const HOLE_WATCH_MS = 120_000;
const MAX_HOLES = 10_000;
const HOLES_AT_LOAD = 1_000;

export const WATCHLIST_FEED_OPTIONS = Symbol('WATCHLIST_FEED_OPTIONS');

export interface WatchlistFeedOptions {
  /** How often other instances' changes are picked up; default 2 s. */
  pollMs?: number;
}

/**
 * Keeps every instance's in-memory watchlist indexes current. Each change to a list, an entry or
 * a template appends the changed id to `watchlist_changes` in its own transaction; every instance
 * polls the log (and the instance that made a change pulls at once after its commit). A poll reads
 * what came after the last sequence number seen, plus the numbers it skipped over ("holes"): a
 * transaction may take a number early and commit after a later one was seen. Holes are watched for
 * two minutes (a rolled-back transaction leaves one forever). Each change is applied once, so the
 * face index is not made to remove and re-add entries on every poll.
 */
@Injectable()
export class WatchlistChangeFeed implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly followers: WatchlistFollower[] = [];
  private readonly logger = new Logger('WatchlistChangeFeed');
  private lastSeq = 0;
  /** Sequence numbers skipped over, with when they were first missed. */
  private readonly holes = new Map<number, number>();
  private timer?: NodeJS.Timeout;
  private pulling?: Promise<void>;
  private following?: Promise<void>;
  private loaded = false;
  private lastSweep = 0;

  constructor(
    private readonly access: RegionAccess,
    @Inject(WATCHLIST_FEED_OPTIONS) private readonly options: WatchlistFeedOptions,
  ) {}

  register(follower: WatchlistFollower): void {
    this.followers.push(follower);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.load();
    this.schedule();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Loads every follower from the tables, in one snapshot with the log position it corresponds to. */
  async load(): Promise<void> {
    await this.access.run(
      RegionScope.allRegions(),
      async (manager) => {
        const [{ seq }] = (await manager.query(
          `SELECT COALESCE(max(seq), 0)::text AS seq FROM watchlist_changes`,
        )) as { seq: string }[];
        for (const follower of this.followers) await follower.load(manager);
        this.lastSeq = Number(seq);
        // Numbers taken by transactions still open at this snapshot: watched like any hole.
        const missing = (await manager.query(
          `SELECT s::text AS seq FROM generate_series(GREATEST($1::bigint - ${HOLES_AT_LOAD}, 1), $1::bigint) s
         WHERE NOT EXISTS (SELECT 1 FROM watchlist_changes c WHERE c.seq = s)`,
          [this.lastSeq],
        )) as { seq: string }[];
        const now = Date.now();
        for (const row of missing) this.holes.set(Number(row.seq), now);
      },
      { isolationLevel: 'REPEATABLE READ', separate: true },
    );
    this.loaded = true;
  }

  /**
   * Applies every change committed before the call. A pull already running may have read the log
   * before the caller's commit, so callers arriving during one share the single pull that follows it.
   */
  pull(): Promise<void> {
    if (!this.pulling) {
      this.pulling = this.pullOnce().finally(() => {
        this.pulling = undefined;
      });
      return this.pulling;
    }
    this.following ??= this.pulling
      .catch(() => undefined)
      .then(() => {
        this.following = undefined;
        return this.pull();
      });
    return this.following;
  }

  private async pullOnce(): Promise<void> {
    if (!this.loaded) return;
    // A unit of its own: a pull may start right after a caller's commit, still in its context.
    await this.access.run(
      RegionScope.allRegions(),
      async (manager) => {
        const rows: { seq: string; kind: WatchlistChangeKind; objectId: string }[] = await manager.query(
          `SELECT seq::text, kind, object_id AS "objectId" FROM watchlist_changes
         WHERE seq > $1 OR seq = ANY($2::bigint[]) ORDER BY seq LIMIT ${PULL_LIMIT}`,
          [this.lastSeq, [...this.holes.keys()]],
        );
        const now = Date.now();
        const byKind = new Map<WatchlistChangeKind, Set<string>>();
        for (const row of rows) {
          let ids = byKind.get(row.kind);
          if (!ids) byKind.set(row.kind, (ids = new Set()));
          ids.add(row.objectId);
          const seq = Number(row.seq);
          if (seq <= this.lastSeq) {
            this.holes.delete(seq);
            continue;
          }
          for (let skipped = this.lastSeq + 1; skipped < seq && this.holes.size < MAX_HOLES; skipped++) {
            this.holes.set(skipped, now);
          }
          this.lastSeq = seq;
        }
        for (const [seq, since] of this.holes) if (now - since > HOLE_WATCH_MS) this.holes.delete(seq);
        // Lists first: a follower reading an entry may need its list's current threshold.
        for (const kind of ['watchlist', 'plate-entry', 'face-entry'] as const) {
          const ids = byKind.get(kind);
          if (!ids) continue;
          for (const follower of this.followers) await follower.apply(manager, kind, [...ids]);
        }
      },
      { separate: true },
    );
    // Sweeping walks every entry: once a minute is plenty, expired entries no longer match anyway.
    if (Date.now() - this.lastSweep >= 60_000) {
      this.lastSweep = Date.now();
      for (const follower of this.followers) follower.sweep();
    }
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      this.pull()
        .catch((error: unknown) => this.logger.error(`watchlist refresh failed: ${(error as Error).message}`))
        .finally(() => {
          if (this.timer) this.schedule();
        });
    }, this.options.pollMs ?? 2_000);
    this.timer.unref();
  }
}
