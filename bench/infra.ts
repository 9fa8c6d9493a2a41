import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '@safecity/persistence';
import { KafkaBroker } from '@safecity/testing';

export interface BenchInfra {
  brokers: string;
  databaseUrl: string;
  stop(): Promise<void>;
}

/** Real Kafka and PostgreSQL for a benchmark: the ones given by env, or local ones started here. */
export async function startBenchInfra(): Promise<BenchInfra> {
  const stops: (() => Promise<void>)[] = [];
  let brokers = process.env.KAFKA_BROKERS;
  if (!brokers) {
    const broker = new KafkaBroker();
    brokers = await broker.start();
    stops.push(() => broker.stop());
  }
  let databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    const pg = await startEmbeddedPostgres({
      dataDir: join(mkdtempSync(join(tmpdir(), 'safecity-bench-')), 'pg'),
      persistent: false,
    });
    databaseUrl = pg.url;
    stops.push(() => pg.stop());
  }
  return {
    brokers,
    databaseUrl,
    stop: async () => {
      for (const stop of stops.reverse()) await stop();
    },
  };
}

export function rate(count: number, ms: number): number {
  return Math.round((count / ms) * 1000);
}

export function table(rows: Record<string, string | number>[]): string {
  const cols = Object.keys(rows[0]);
  const width = cols.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c]).length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(width[i])).join(' | ')} |`;
  return [
    line(cols),
    line(width.map((w) => '-'.repeat(w))),
    ...rows.map((r) => line(cols.map((c) => String(r[c])))),
  ].join('\n');
}

/** `--name value` from a benchmark's arguments, as a number. */
export function option(argv: string[], name: string, fallback: number): number {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
}

/** mulberry32: the same data on every run, so runs compare. */
export function seededRandom(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Counts deliveries and times them from the first to the last, so group joins are not counted. */
export class Stopwatch {
  count = 0;
  first = 0;
  last = 0;
  private resolve!: () => void;
  readonly done: Promise<void>;
  constructor(private readonly expected: number) {
    this.done = new Promise((r) => (this.resolve = r));
  }
  tick(n = 1) {
    const now = performance.now();
    if (this.count === 0) this.first = now;
    this.count += n;
    this.last = now;
    if (this.count >= this.expected) this.resolve();
  }
  get ms() {
    return this.last - this.first;
  }
}

export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<T>(
        (_, reject) => (timer = setTimeout(() => reject(new Error(`${what} took over ${ms} ms`)), ms)),
      ),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** CPU time by what uses it, in seconds: this process's main thread, its other threads, PostgreSQL, Kafka. */
export type CpuShares = Record<
  'service thread' | 'other threads of this process' | 'PostgreSQL' | 'Kafka broker',
  number
>;

/** Clock ticks per second of `/proc/<pid>/stat`; 100 on every Linux this runs on. */
const TICKS_PER_SECOND = 100;

/**
 * Where the machine's CPU went so far, read from `/proc`: on two shared cores a latency figure
 * moves with everything else that runs, the CPU each part takes per event much less. Processes
 * are told apart by name (`postgres`, `java`), so a database or broker of another run on the
 * machine counts too. Null where `/proc` is not there.
 */
export function cpuShares(): CpuShares | null {
  if (!existsSync(`/proc/self/task/${process.pid}/stat`)) return null;
  const shares: CpuShares = {
    'service thread': 0,
    'other threads of this process': 0,
    PostgreSQL: 0,
    'Kafka broker': 0,
  };
  const ticksOf = (statPath: string, withEndedChildren = false): { name: string; seconds: number } | null => {
    try {
      const stat = readFileSync(statPath, 'latin1');
      const close = stat.lastIndexOf(')');
      const fields = stat.slice(close + 2).split(' ');
      // utime and stime: fields 14 and 15 of stat, 12 and 13 after the name; cutime and cstime
      // (16, 17) hold the ended children's, so a PostgreSQL backend that exits between two
      // readings (its pool connection closed when idle) keeps its time in its postmaster's.
      let ticks = Number(fields[11]) + Number(fields[12]);
      if (withEndedChildren) ticks += Number(fields[13]) + Number(fields[14]);
      return { name: stat.slice(stat.indexOf('(') + 1, close), seconds: ticks / TICKS_PER_SECOND };
    } catch {
      return null; // gone in between
    }
  };
  // The process's own figure keeps the time of threads that have ended (a finished worker).
  const main = ticksOf(`/proc/self/task/${process.pid}/stat`)?.seconds ?? 0;
  shares['service thread'] = main;
  shares['other threads of this process'] = (ticksOf('/proc/self/stat')?.seconds ?? 0) - main;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const proc = ticksOf(`/proc/${pid}/stat`, true);
    if (proc?.name === 'postgres') shares.PostgreSQL += proc.seconds;
    else if (proc?.name === 'java') shares['Kafka broker'] += proc.seconds;
  }
  return shares;
}

/** Per share: percent of one core over `seconds`, and microseconds per event for `events`. */
export function cpuBetween(before: CpuShares, after: CpuShares, seconds: number, events: number) {
  return (Object.keys(before) as (keyof CpuShares)[]).map((part) => {
    const used = after[part] - before[part];
    return {
      part,
      'share of one core': `${((100 * used) / seconds).toFixed(0)}%`,
      'µs per event': ((used * 1e6) / events).toFixed(0),
    };
  });
}
