import type { RegionAccess } from '@safecity/security';
import type { EntityManager } from 'typeorm';
import type { WatchlistChangeKind } from './watchlists.repository';
import { WatchlistChangeFeed, type WatchlistFollower } from './watchlist-change-feed';

interface LoggedChange {
  seq: number;
  kind: WatchlistChangeKind;
  objectId: string;
}

/**
 * The feed over an in-memory `watchlist_changes` log. A read of the log can be held after it took
 * its snapshot, the way a pull's SELECT runs before a commit that lands while the pull finishes.
 */
function world() {
  const log: LoggedChange[] = [];
  const applied: string[] = [];
  let hold: Promise<void> | undefined;
  const manager = {
    queryRunner: { isTransactionActive: true },
    // Statements arrive as text or, when prepared, as node-postgres query configs.
    async query(statement: string | { text: string }, params: unknown[] = []) {
      const sql = typeof statement === 'string' ? statement : statement.text;
      if (sql.includes('set_config')) return [];
      if (sql.includes('max(seq)')) return [{ seq: String(log.length ? log[log.length - 1].seq : 0) }];
      if (sql.includes('generate_series')) return [];
      const [after, holes] = params as [number, number[]];
      const snapshot = log
        .filter((c) => c.seq > Number(after) || holes.includes(c.seq))
        .map((c) => ({ seq: String(c.seq), kind: c.kind, objectId: c.objectId }));
      await hold;
      return snapshot;
    },
  } as unknown as EntityManager;
  const access = {
    run: (_scope: unknown, work: (m: EntityManager) => Promise<unknown>) => work(manager),
  } as unknown as RegionAccess;
  const follower: WatchlistFollower = {
    name: 'recorder',
    load: async () => undefined,
    apply: async (_m, _kind, ids) => void applied.push(...ids),
    sweep: () => undefined,
  };
  const feed = new WatchlistChangeFeed(access, {});
  feed.register(follower);
  return {
    feed,
    applied,
    commit: (objectId: string) => log.push({ seq: log.length + 1, kind: 'plate-entry', objectId }),
    holdReads: () => {
      let release!: () => void;
      hold = new Promise((resolve) => (release = resolve));
      return () => {
        hold = undefined;
        release();
      };
    },
  };
}

describe('watchlist change feed', () => {
  it('applies changes committed before a pull', async () => {
    const { feed, applied, commit } = world();
    await feed.load();
    commit('entry-1');
    commit('entry-2');
    await feed.pull();
    expect(applied).toEqual(['entry-1', 'entry-2']);
  });

  it('a pull asked for while another runs sees changes committed after that one read the log', async () => {
    const { feed, applied, commit, holdReads } = world();
    await feed.load();
    const release = holdReads();
    const running = feed.pull();
    await new Promise((resolve) => setImmediate(resolve));
    commit('entry-after-read');
    const asked = feed.pull();
    release();
    await Promise.all([running, asked]);
    expect(applied).toEqual(['entry-after-read']);
  });

  it('callers arriving during one pull share the single pull that follows it', async () => {
    const { feed, applied, commit, holdReads } = world();
    await feed.load();
    const release = holdReads();
    const running = feed.pull();
    await new Promise((resolve) => setImmediate(resolve));
    commit('a');
    const first = feed.pull();
    commit('b');
    const second = feed.pull();
    expect(second).toBe(first);
    release();
    await Promise.all([running, first, second]);
    expect(applied).toEqual(['a', 'b']);
  });

  it('a failed pull does not keep the one that follows it from running', async () => {
    const { feed, applied, commit } = world();
    await feed.load();
    const failing = jest.spyOn(feed['access'], 'run').mockRejectedValueOnce(new Error('connection lost'));
    const running = feed.pull();
    commit('entry-1');
    const asked = feed.pull();
    await expect(running).rejects.toThrow('connection lost');
    await asked;
    expect(failing).toHaveBeenCalledTimes(2);
    expect(applied).toEqual(['entry-1']);
  });
});
