import { RegionScope } from '@safecity/security';
import type { FeedEntry, IncidentChangeLog } from '../incidents/incident-change-log';
import type { RegionTransaction } from '../access/region-transaction';
import { LiveFeed, type FeedClient } from './live-feed';

const entry = (seq: number): FeedEntry =>
  ({
    seq,
    incidentId: `incident-${seq}`,
    regionCode: 'ALA',
    kind: 'created',
    changedAt: new Date(0).toISOString(),
    incident: { sourceKind: 'plate' },
  }) as unknown as FeedEntry;

/**
 * The feed with its database side replaced: commits are reported by calling the change log's
 * listener directly, and the feed's own reads (at start, for resumes, for polls) find nothing new.
 */
async function feedWith(flushIntervalMs: number) {
  let committed: (entries: FeedEntry[] | null) => void = () => undefined;
  const changes = {
    onCommitted: (listener: typeof committed) => {
      committed = listener;
      return () => undefined;
    },
    latestSeq: async () => 0,
    readAfter: async () => [],
  };
  const transaction = { runApart: (_scope: RegionScope, work: (m: unknown) => unknown) => work({}) };
  const feed = new LiveFeed(
    changes as unknown as IncidentChangeLog,
    transaction as unknown as RegionTransaction,
    3_600_000,
    flushIntervalMs,
  );
  await feed.onApplicationBootstrap();
  const writes: { at: number; seqs: number[] }[] = [];
  const client: FeedClient = {
    scope: RegionScope.allRegions(),
    kinds: null,
    regions: null,
    send: (frames) => {
      const seqs = [...String(frames).matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
      writes.push({ at: performance.now(), seqs });
      return true;
    },
    close: () => undefined,
  };
  await feed.subscribe(client, null);
  return { feed, writes, commit: (...seqs: number[]) => committed(seqs.map(entry)) };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('live feed writes to its clients', () => {
  it('go out at once after a quiet spell, and commits within the flush interval go together', async () => {
    const { feed, writes, commit } = await feedWith(200);
    try {
      commit(1);
      expect(writes.map((w) => w.seqs)).toEqual([[1]]);
      commit(2);
      commit(3, 4);
      expect(writes).toHaveLength(1);
      for (let waited = 0; writes.length < 2 && waited < 2_000; waited += 10) await sleep(10);
      expect(writes.map((w) => w.seqs)).toEqual([[1], [2, 3, 4]]);
      expect(writes[1].at - writes[0].at).toBeGreaterThanOrEqual(150);
      // Quiet again for longer than the interval: the next commit is not held back.
      await sleep(300);
      commit(5);
      expect(writes.map((w) => w.seqs)).toEqual([[1], [2, 3, 4], [5]]);
    } finally {
      await feed.onModuleDestroy();
    }
  });

  it('go out commit by commit with no flush interval', async () => {
    const { feed, writes, commit } = await feedWith(0);
    try {
      commit(1);
      commit(2);
      commit(3, 4);
      expect(writes.map((w) => w.seqs)).toEqual([[1], [2], [3, 4]]);
    } finally {
      await feed.onModuleDestroy();
    }
  });

  it('are not made after shutdown, for changes still held back', async () => {
    const { feed, writes, commit } = await feedWith(100);
    commit(1);
    commit(2);
    await feed.onModuleDestroy();
    await sleep(250);
    expect(writes.map((w) => w.seqs)).toEqual([[1]]);
  });
});
