import { mkdtempSync } from 'node:fs';
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
