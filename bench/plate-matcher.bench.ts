import { cpus, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import {
  HotlistReason,
  normalisePlate,
  PlateHotlistEntry,
  PlateHotlistIndex,
  plateSkeleton,
} from '../services/recognition/src/plates';
import { option, rate, seededRandom, table } from './infra';

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const DIGITS = '0123456789';
const REGIONS = Array.from({ length: 20 }, (_, i) => String(i + 1).padStart(2, '0'));
const REASONS: HotlistReason[] = [
  ...Array<HotlistReason>(6).fill('stolen-vehicle'),
  'wanted-person',
  'wanted-person',
  'missing-person',
  'criminal-investigation',
  'other',
];
const WATCHLISTS = ['wl-mvd-stolen', 'wl-mvd-wanted', 'wl-customs', 'wl-akimat-parking', 'wl-knb'];
const CONFUSABLE: Record<string, string> = {};
for (const cls of ['0ODQ', '1IL', '8B', '5S', '2Z', '6G']) {
  for (const c of cls) CONFUSABLE[c] = cls.replace(c, '');
}
// Cyrillic letters as a clerk or an older vendor might send them.
const CYRILLIC: Record<string, string> = {
  A: 'А',
  B: 'в',
  C: 'С',
  E: 'Е',
  H: 'Н',
  K: 'к',
  M: 'М',
  O: 'о',
  P: 'Р',
  T: 'Т',
  X: 'Х',
};

type Rand = () => number;
const pick = (r: Rand, s: string) => s[Math.floor(r() * s.length)];
const chars = (r: Rand, s: string, n: number) => Array.from({ length: n }, () => pick(r, s)).join('');
/** A flat copy: strings built by concatenation are rope nodes in V8, larger than the strings a
 * database driver hands over, and would inflate the memory figures. */
const flat = (s: string) => s.split('').join('');

/**
 * Plates in the mix the hotlist sees: the 2012 format (3 digits, 3 letters, 2-digit region), its
 * 2-letter series, the 1993 format (region letter, 3 digits, 3 letters) and short special plates.
 */
function kzPlate(r: Rand): string {
  const x = r();
  const region = REGIONS[Math.floor(r() * REGIONS.length)];
  if (x < 0.8) return chars(r, DIGITS, 3) + chars(r, LETTERS, 3) + region;
  if (x < 0.9) return chars(r, DIGITS, 3) + chars(r, LETTERS, 2) + region;
  if (x < 0.97) return pick(r, LETTERS) + chars(r, DIGITS, 3) + chars(r, LETTERS, 3);
  return chars(r, DIGITS, 2) + chars(r, LETTERS, 2) + region;
}

function uuid(r: Rand): string {
  const hex = (n: number) => chars(r, '0123456789abcdef', n);
  return `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
}

const NOW = new Date('2026-11-25T12:00:00Z');
const YEAR = 365 * 86_400_000;

function hotlist(count: number): PlateHotlistEntry[] {
  const r = seededRandom(20261125);
  const scopes = REGIONS.map((code) => Object.freeze([code]));
  const entries: PlateHotlistEntry[] = [];
  for (let i = 0; i < count; i++) {
    // 1 % of rows list a plate another watchlist already has.
    const plate = i > 0 && r() < 0.01 ? entries[Math.floor(r() * i)].plate : kzPlate(r);
    const s = r();
    entries.push({
      id: flat(uuid(r)),
      plate: flat(plate),
      country: 'KZ',
      reason: REASONS[Math.floor(r() * REASONS.length)],
      priority: 1 + Math.floor(r() * 4),
      watchlistId: WATCHLISTS[Math.floor(r() * WATCHLISTS.length)],
      regions:
        s < 0.6
          ? 'national'
          : s < 0.95
            ? scopes[Math.floor(r() * scopes.length)]
            : [REGIONS[Math.floor(r() * 20)], REGIONS[Math.floor(r() * 20)]],
      // 4 % have expired and are still loaded, as between two runs of the retention job.
      expiresAt: new Date(NOW.getTime() + (r() < 0.04 ? -1 : 1) * r() * YEAR + 1),
    });
  }
  return entries;
}

interface Query {
  plate: string;
  regions: readonly string[];
  expected: 'hit' | 'confusable' | 'one-edit' | 'miss';
}

function oneEdit(r: Rand, p: string): string {
  const i = Math.floor(r() * p.length);
  const c = pick(r, /\d/.test(p[i]) ? DIGITS : LETTERS);
  const op = r();
  if (op < 0.5) return p.slice(0, i) + (c === p[i] ? pick(r, 'XY') : c) + p.slice(i + 1);
  if (op < 0.7) return p.slice(0, i) + c + p.slice(i);
  if (op < 0.9) return p.slice(0, i) + p.slice(i + 1);
  return i + 1 < p.length ? p.slice(0, i) + p[i + 1] + p[i] + p.slice(i + 2) : p.slice(0, i);
}

function confusable(r: Rand, p: string): string {
  const at = [...p].map((c, i) => (CONFUSABLE[c] ? i : -1)).filter((i) => i >= 0);
  if (at.length === 0) return p;
  let out = p;
  for (let k = 0; k < 1 + Math.floor(r() * Math.min(2, at.length)); k++) {
    const i = at[Math.floor(r() * at.length)];
    out = out.slice(0, i) + pick(r, CONFUSABLE[p[i]]) + out.slice(i + 1);
  }
  return out;
}

/** How a camera reads it: mostly canonical, sometimes spaced, lower-case or in Cyrillic. */
function written(r: Rand, p: string): string {
  if (r() >= 0.1) return p;
  const spaced = p.replace(/^(\d{3})([A-Z]+)(\d{2})$/, '$1 $2 $3');
  return r() < 0.5 ? spaced.toLowerCase() : [...spaced].map((c) => CYRILLIC[c] ?? c).join('');
}

function queries(entries: PlateHotlistEntry[], count: number): Query[] {
  const r = seededRandom(7);
  const out: Query[] = [];
  const scopes = REGIONS.map((code) => [code]);
  for (let i = 0; i < count; i++) {
    const listed = entries[Math.floor(r() * entries.length)].plate;
    const x = r();
    const [plate, expected]: [string, Query['expected']] =
      x < 0.3
        ? [listed, 'hit']
        : x < 0.45
          ? [confusable(r, listed), 'confusable']
          : x < 0.65
            ? [oneEdit(r, listed), 'one-edit']
            : [kzPlate(r), 'miss'];
    out.push({ plate: flat(written(r, plate)), regions: scopes[Math.floor(r() * scopes.length)], expected });
  }
  return out;
}

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function memory() {
  gc();
  gc();
  const m = process.memoryUsage();
  return { heap: m.heapUsed, buffers: m.arrayBuffers };
}

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;

/** Calls `fn` over the queries round-robin for `seconds` after a warm-up; returns calls/s. */
function throughput(
  count: number,
  seconds: number,
  fn: (i: number) => number,
): { perSecond: number; sink: number } {
  let sink = 0;
  let i = 0;
  const loop = (ms: number) => {
    let calls = 0;
    const start = performance.now();
    const end = start + ms;
    let now = start;
    while (now < end) {
      for (let k = 0; k < 1024; k++) {
        sink += fn(i);
        i = i + 1 === count ? 0 : i + 1;
      }
      calls += 1024;
      now = performance.now();
    }
    return rate(calls, now - start);
  };
  loop(1000);
  return { perSecond: loop(seconds * 1000), sink };
}

/** One edit apart (substitution, insertion, deletion, swap of neighbours), for the brute force. */
function withinOneEdit(a: string, b: string): boolean {
  const d = a.length - b.length;
  if (d > 1 || d < -1) return false;
  let i = 0;
  const shorter = Math.min(a.length, b.length);
  while (i < shorter && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (d === 0) {
    if (i === a.length) return true;
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  return d > 0 ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

export async function run(argv: string[]): Promise<void> {
  const count = option(argv, 'entries', 1_000_000);
  const seconds = option(argv, 'seconds', 3);
  const bruteCount = Math.min(count, 10_000);
  const cpu = cpus();
  process.stdout.write(
    `plate-matcher: ${count.toLocaleString('en')} entries, ${cpu.length} × ${cpu[0]?.model.trim()}, ` +
      `${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node.js ${process.versions.node}\n\n`,
  );

  const m0 = memory();
  const entries = hotlist(count);
  const m1 = memory();
  const qs = queries(entries, 1 << 16);
  const mq = memory();

  let t = performance.now();
  const baseline = new Map<string, PlateHotlistEntry[]>();
  for (const e of entries) {
    const list = baseline.get(e.plate);
    if (list) list.push(e);
    else baseline.set(e.plate, [e]);
  }
  const baselineBuildMs = performance.now() - t;
  const m2 = memory();

  t = performance.now();
  const index = new PlateHotlistIndex({ expectedEntries: count });
  for (const e of entries) index.add(e);
  const indexBuildMs = performance.now() - t;
  const m3 = memory();
  const stats = index.stats();

  process.stdout.write(
    table([
      {
        structure: 'hotlist rows (the entries themselves)',
        build: '-',
        'JS heap': mb(m1.heap - m0.heap),
        'typed arrays': '-',
      },
      {
        structure: 'baseline Map<string, Entry[]>',
        build: `${(baselineBuildMs / 1000).toFixed(2)} s`,
        'JS heap': mb(m2.heap - mq.heap),
        'typed arrays': '-',
      },
      {
        structure: 'PlateHotlistIndex',
        build: `${(indexBuildMs / 1000).toFixed(2)} s`,
        'JS heap': mb(m3.heap - m2.heap),
        'typed arrays': mb(m3.buffers - m2.buffers),
      },
    ]) + '\n',
  );
  process.stdout.write(
    `index: ${stats.skeletons.toLocaleString('en')} skeletons, ${stats.postings.toLocaleString('en')} one-edit keys ` +
      `in a table of ${stats.tableCapacity.toLocaleString('en')} slots\n\n`,
  );

  // What the fuzzy path finds for each part of the query mix, in one pass.
  const found: Record<string, Record<string, number>> = {};
  for (const q of qs) {
    const kind = index.match(q.plate, { now: NOW, regions: q.regions }).kind ?? 'none';
    found[q.expected] ??= {};
    found[q.expected][kind] = (found[q.expected][kind] ?? 0) + 1;
  }
  process.stdout.write(
    table(
      Object.entries(found).map(([made, kinds]) => ({
        'query made as': made,
        queries: Object.values(kinds).reduce((a, b) => a + b, 0),
        exact: kinds.exact ?? 0,
        confusable: kinds.confusable ?? 0,
        'one-edit': kinds['one-edit'] ?? 0,
        'no hit': kinds.none ?? 0,
      })),
    ) + '\n\n',
  );

  const n = qs.length;
  const plates = qs.map((q) => q.plate);
  const regions = qs.map((q) => q.regions);
  const base = throughput(n, seconds, (i) => baseline.get(plates[i])?.length ?? 0);
  const exact = throughput(
    n,
    seconds,
    (i) => index.match(plates[i], { now: NOW, regions: regions[i], upTo: 'exact' }).hits.length,
  );
  const conf = throughput(
    n,
    seconds,
    (i) => index.match(plates[i], { now: NOW, regions: regions[i], upTo: 'confusable' }).hits.length,
  );
  const fuzzy = throughput(
    n,
    seconds,
    (i) => index.match(plates[i], { now: NOW, regions: regions[i] }).hits.length,
  );

  const subset = entries.slice(0, bruteCount).map((e) => plateSkeleton(normalisePlate(e.plate)!));
  const brute = throughput(n, seconds, (i) => {
    const p = normalisePlate(plates[i]);
    if (p === undefined) return 0;
    const s = plateSkeleton(p);
    let hits = 0;
    for (const listed of subset) if (withinOneEdit(s, listed)) hits++;
    return hits;
  });
  const bruteAtCount = Math.round((brute.perSecond * bruteCount) / count);

  const ratio = (x: number) => {
    const v = x / base.perSecond;
    return `${v >= 0.1 ? v.toFixed(2) : v.toPrecision(2)}×`;
  };
  process.stdout.write(
    table([
      {
        path: 'baseline: Map.get(reading)',
        'lookups/s': base.perSecond.toLocaleString('en'),
        'vs baseline': '1.00×',
      },
      {
        path: 'index, exact',
        'lookups/s': exact.perSecond.toLocaleString('en'),
        'vs baseline': ratio(exact.perSecond),
      },
      {
        path: 'index, up to confusable',
        'lookups/s': conf.perSecond.toLocaleString('en'),
        'vs baseline': ratio(conf.perSecond),
      },
      {
        path: 'index, up to one edit (fuzzy)',
        'lookups/s': fuzzy.perSecond.toLocaleString('en'),
        'vs baseline': ratio(fuzzy.perSecond),
      },
      {
        path: `brute-force fuzzy scan of ${bruteCount.toLocaleString('en')}`,
        'lookups/s': brute.perSecond.toLocaleString('en'),
        'vs baseline': ratio(brute.perSecond),
      },
      {
        path: `  the same, extrapolated to ${count.toLocaleString('en')}`,
        'lookups/s': bruteAtCount.toLocaleString('en'),
        'vs baseline': ratio(bruteAtCount),
      },
    ]) + '\n',
  );
  process.stdout.write(
    `targets at ${count.toLocaleString('en')} entries: exact ≥ 1,000,000/s ${exact.perSecond >= 1e6 ? 'met' : 'NOT met'}, ` +
      `fuzzy ≥ 100,000/s ${fuzzy.perSecond >= 1e5 ? 'met' : 'NOT met'} ` +
      `(checksum ${base.sink + exact.sink + conf.sink + fuzzy.sink + brute.sink})\n`,
  );
}
