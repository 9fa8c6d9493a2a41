import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { incidents as contract } from '@safecity/contracts';
import { RegionScope } from '@safecity/security';
import { SourceKindNames } from '../incidents/enum-names';
import { IncidentChangeLog, type FeedEntry } from '../incidents/incident-change-log';
import { RegionTransaction } from '../access/region-transaction';

/** A connected live-stream client. */
export interface FeedClient {
  scope: RegionScope;
  /** Source kinds the client's roles may see; null: all. */
  kinds: Set<string> | null;
  /** Only these regions (within scope), when the client asked to narrow it. */
  regions: Set<string> | null;
  /** Writes the frames of entries; returns false when the client cannot keep up and must be dropped. */
  send(frames: string | Buffer): boolean;
  close(reason: string): void;
  /** Told of the face-match incidents each write carried, which are disclosures to audit. */
  disclosed?(entries: FeedEntry[]): void;
}

const FACE_MATCH = SourceKindNames.toName(contract.IncidentSourceKind.INCIDENT_SOURCE_KIND_FACE_MATCH);

interface Subscription {
  client: FeedClient;
  cursor: number;
  /** Entries that arrived while the client's backlog was being read. */
  buffer: { entry: FeedEntry; frame: string }[] | null;
}

export const LIVE_FEED_POLL_INTERVAL_MS = Symbol('LIVE_FEED_POLL_INTERVAL_MS');
export const LIVE_FEED_FLUSH_INTERVAL_MS = Symbol('LIVE_FEED_FLUSH_INTERVAL_MS');

const PAGE = 1_000;
/** Beyond this many missed changes a client is told to reload over REST instead. */
const MAX_BACKLOG_PAGES = 20;

/** The SSE frame of an entry, built once and shared by every client that sees it. */
export function frameOf(entry: FeedEntry): string {
  return `id: ${entry.seq}\nevent: incident\ndata: ${JSON.stringify(entry)}\n\n`;
}

/**
 * Fans the change feed out to live-stream clients. One reader follows `incident_changes` for the
 * whole process (polling for other instances' commits), so 200 clients cost one query, not 200.
 * A client resuming with Last-Event-ID first gets what it missed from the table, then joins the
 * live flow; `seq` grows in commit order, so nothing falls in between.
 *
 * Changes this process commits are handed over by the change log at commit and go out at once,
 * without reading them back — but only when they continue the feed exactly where it stands
 * (their first `seq` is the next one). Anything else (another instance's commit in between, the
 * hole a rolled-back transaction leaves in the sequence, two commits reported out of order) wakes
 * the reader, whose query is the truth.
 */
@Injectable()
export class LiveFeed implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('incidents:live-feed');
  private readonly subscriptions = new Set<Subscription>();
  private cursor = 0;
  private pumping: Promise<void> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void) | null = null;
  private started = false;
  /** Changes taken into the feed (the cursor is past them) and not yet written to the clients. */
  private unsent: { entry: FeedEntry; frame: string }[] = [];
  private flushTimer: NodeJS.Timeout | null = null;
  private lastFlushAt = -Infinity;

  constructor(
    private readonly changes: IncidentChangeLog,
    private readonly transaction: RegionTransaction,
    /** For changes committed by other instances. */
    @Inject(LIVE_FEED_POLL_INTERVAL_MS) private readonly pollIntervalMs: number,
    /** The least time between two writes to the clients; 0 writes every commit at once. */
    @Inject(LIVE_FEED_FLUSH_INTERVAL_MS) private readonly flushIntervalMs: number,
  ) {}

  async onApplicationBootstrap() {
    this.cursor = await this.transaction.runApart(RegionScope.allRegions(), (m) => this.changes.latestSeq(m));
    this.started = true;
    this.unsubscribe = this.changes.onCommitted((entries) => this.committed(entries));
    this.timer = setInterval(() => this.wake(), this.pollIntervalMs);
    this.timer.unref();
  }

  async onModuleDestroy() {
    // No new reads, and the one under way finishes before the database connections close.
    this.started = false;
    if (this.timer) clearInterval(this.timer);
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.unsubscribe?.();
    for (const subscription of this.subscriptions) subscription.client.close('shutdown');
    this.subscriptions.clear();
    await this.pumping;
  }

  get clientCount(): number {
    return this.subscriptions.size;
  }

  wake(): void {
    if (!this.started) return;
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = this.pump()
      .catch((error) => this.logger.warn({ msg: 'live feed read failed', error: String(error) }))
      .finally(() => {
        this.pumping = null;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  private committed(entries: FeedEntry[] | null): void {
    if (!this.started || entries === null || entries.length === 0) return this.wake();
    if (entries[0].seq !== this.cursor + 1) return this.wake();
    this.fanOut(entries);
  }

  /** Connects a client; `lastEventId` resumes after that change. Returns the unsubscribe function. */
  async subscribe(client: FeedClient, lastEventId: number | null): Promise<() => void> {
    const subscription: Subscription = { client, cursor: lastEventId ?? this.cursor, buffer: [] };
    this.subscriptions.add(subscription);
    const unsubscribe = () => void this.subscriptions.delete(subscription);
    if (lastEventId !== null) {
      const until = this.cursor;
      const regions = client.scope.all ? null : client.scope.regions;
      for (let page = 0; subscription.cursor < until; page++) {
        if (page === MAX_BACKLOG_PAGES) {
          unsubscribe();
          client.close('too far behind: reload the incident list over REST');
          return unsubscribe;
        }
        const entries = await this.transaction.runApart(client.scope, (m) =>
          this.changes.readAfter(m, subscription.cursor, regions, PAGE),
        );
        const upTo = entries.filter((e) => e.seq <= until);
        if (
          !this.deliver(
            subscription,
            upTo.map((entry) => ({ entry, frame: frameOf(entry) })),
          )
        ) {
          return unsubscribe;
        }
        subscription.cursor = Math.max(subscription.cursor, upTo[upTo.length - 1]?.seq ?? until);
        if (entries.length < PAGE) break;
      }
    }
    const buffered = subscription.buffer ?? [];
    subscription.buffer = null;
    this.deliver(subscription, buffered);
    return unsubscribe;
  }

  private async pump(): Promise<void> {
    for (;;) {
      const entries = await this.transaction.runApart(RegionScope.allRegions(), (m) =>
        this.changes.readAfter(m, this.cursor, null, PAGE),
      );
      // Entries this process committed may have gone out while the query ran.
      const fresh = entries.filter((entry) => entry.seq > this.cursor);
      if (fresh.length > 0) this.fanOut(fresh);
      if (entries.length < PAGE) return;
    }
  }

  /**
   * Takes entries that directly follow `cursor` into the feed. They are written to the clients at
   * once when the last write is at least the flush interval old, else with whatever else arrives
   * until then: each write to a client's socket costs the same whether it carries one change or
   * fifty, and with hundreds of clients those writes are most of the feed's CPU.
   */
  private fanOut(entries: FeedEntry[]): void {
    this.cursor = entries[entries.length - 1].seq;
    for (const entry of entries) this.unsent.push({ entry, frame: frameOf(entry) });
    if (this.flushTimer) return;
    const wait = this.lastFlushAt + this.flushIntervalMs - performance.now();
    if (wait <= 0) this.flush();
    else this.flushTimer = setTimeout(() => this.flush(), wait);
  }

  /** Sends the unsent entries, in order, to every client that may see them. */
  private flush(): void {
    this.flushTimer = null;
    this.lastFlushAt = performance.now();
    const framed = this.unsent;
    this.unsent = [];
    if (!this.started || framed.length === 0) return;
    // Clients of the same region and role see the same frames: those bytes are encoded once.
    const encoded = new Map<string, Buffer>();
    for (const subscription of this.subscriptions) {
      if (subscription.buffer) subscription.buffer.push(...framed);
      else this.deliver(subscription, framed, encoded);
    }
  }

  private deliver(
    subscription: Subscription,
    framed: { entry: FeedEntry; frame: string }[],
    encoded?: Map<string, Buffer>,
  ): boolean {
    const { client } = subscription;
    const visible = framed.filter(
      ({ entry }) =>
        entry.seq > subscription.cursor &&
        client.scope.includes(entry.regionCode) &&
        (client.regions === null || client.regions.has(entry.regionCode)) &&
        (client.kinds === null || client.kinds.has(entry.incident.sourceKind)),
    );
    if (framed.length > 0)
      subscription.cursor = Math.max(subscription.cursor, framed[framed.length - 1].entry.seq);
    if (visible.length === 0) return true;
    let bytes: string | Buffer;
    if (encoded) {
      const key = visible.length === framed.length ? '*' : visible.map((v) => v.entry.seq).join(',');
      bytes = encoded.get(key) ?? Buffer.from(visible.map((v) => v.frame).join(''));
      encoded.set(key, bytes);
    } else {
      bytes = visible.map((v) => v.frame).join('');
    }
    if (!client.send(bytes)) {
      this.subscriptions.delete(subscription);
      client.close('client too slow: reconnect with Last-Event-ID');
      return false;
    }
    if (client.disclosed) {
      const faces = visible
        .filter(({ entry }) => entry.incident.sourceKind === FACE_MATCH)
        .map((v) => v.entry);
      if (faces.length > 0) client.disclosed(faces);
    }
    return true;
  }
}
