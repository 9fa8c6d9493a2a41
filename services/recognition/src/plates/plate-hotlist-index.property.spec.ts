import fc from 'fast-check';
import { KeyPostings } from './key-postings';
import { PlateHotlistEntry, PlateHotlistIndex, PlateMatchKind } from './plate-hotlist-index';
import { CONFUSABLE_CLASSES, normalisePlate } from '@safecity/plates';

// The reference matcher: the definitions written out directly, compared entry by entry.

const FOLD = new Map<string, string>();
for (const cls of CONFUSABLE_CLASSES) for (const c of cls) FOLD.set(c, cls[0]);
const skeleton = (plate: string) => [...plate].map((c) => FOLD.get(c) ?? c).join('');

/** Optimal string alignment distance: Levenshtein plus swaps of neighbours. */
function osa(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.length][b.length];
}

function editOf(read: string, listed: string): string {
  if (read.length > listed.length) return 'insertion';
  if (read.length < listed.length) return 'deletion';
  const differing = [...read].filter((c, i) => c !== listed[i]).length;
  return differing === 1 ? 'substitution' : 'transposition';
}

const RANK: Record<PlateMatchKind, number> = { exact: 0, confusable: 1, 'one-edit': 2 };

function referenceMatch(
  entries: PlateHotlistEntry[],
  plate: string,
  now: Date,
  regions: string[] | undefined,
  upTo: PlateMatchKind,
): string[][] {
  const read = normalisePlate(plate);
  if (read === undefined) return [];
  const found: { entry: PlateHotlistEntry; kind: PlateMatchKind; edit?: string }[] = [];
  for (const entry of entries) {
    if (entry.expiresAt.getTime() <= now.getTime()) continue;
    if (regions && entry.regions !== 'national' && !entry.regions.some((r) => regions.includes(r))) continue;
    const listed = normalisePlate(entry.plate)!;
    const [a, b] = [skeleton(read), skeleton(listed)];
    if (read === listed) found.push({ entry, kind: 'exact' });
    else if (a === b && upTo !== 'exact') found.push({ entry, kind: 'confusable' });
    else if (a !== b && upTo === 'one-edit' && osa(a, b) === 1) {
      found.push({ entry, kind: 'one-edit', edit: editOf(a, b) });
    }
  }
  found.sort(
    (x, y) =>
      RANK[x.kind] - RANK[y.kind] ||
      y.entry.priority - x.entry.priority ||
      (x.entry.id < y.entry.id ? -1 : x.entry.id > y.entry.id ? 1 : 0),
  );
  return found.map((h) => [h.entry.id, h.kind, ...(h.edit ? [h.edit] : [])]);
}

// Generators. A small alphabet rich in confusable characters makes exact, confusable and one-edit
// neighbours common among a few dozen plates.

const ALPHABET = [...'0OD1IL8B5S2Z6GAKX7'];
const REGIONS = ['01', '02', '17'];
const NOW = new Date('2026-11-25T12:00:00Z');

const char = fc.constantFrom(...ALPHABET);
const plate = fc
  .array(char, { minLength: 2, maxLength: 12 })
  .chain((cs) => fc.constantFrom(cs.join(''), cs.slice(0, 4).join('')))
  .filter((p) => p.length >= 2);

/** A random single edit of a plate: substitution, insertion, deletion or swap of neighbours. */
const edited = (p: string) =>
  fc
    .tuple(fc.nat(p.length), char, fc.constantFrom('sub', 'ins', 'del', 'swap', 'fold'))
    .map(([at, c, op]) => {
      const i = Math.min(at, p.length - 1);
      switch (op) {
        case 'sub':
          return p.slice(0, i) + c + p.slice(i + 1);
        case 'ins':
          return p.slice(0, at) + c + p.slice(at);
        case 'del':
          return p.slice(0, i) + p.slice(i + 1);
        case 'swap':
          return i + 1 < p.length ? p.slice(0, i) + p[i + 1] + p[i] + p.slice(i + 2) : p;
        default: {
          const cls = CONFUSABLE_CLASSES.find((k) => k.includes(p[i]));
          return cls ? p.slice(0, i) + cls[(cls.indexOf(p[i]) + 1) % cls.length] + p.slice(i + 1) : p;
        }
      }
    });

const entrySpec = fc.record({
  plate,
  priority: fc.integer({ min: 1, max: 4 }),
  expiresInMs: fc.constantFrom(-60_000, -1, 0, 1, 86_400_000, 86_400_000, 86_400_000),
  regions: fc.oneof(fc.constant<'national'>('national'), fc.subarray(REGIONS, { minLength: 1 })),
  removed: fc.boolean(),
});

const scenario = fc
  .record({
    specs: fc.array(entrySpec, { minLength: 1, maxLength: 40 }),
    sameAs: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 10 }),
  })
  .chain(({ specs, sameAs }) => {
    // Some entries share a plate, as a car listed by two agencies does.
    for (const [from, to] of sameAs) specs[to % specs.length].plate = specs[from % specs.length].plate;
    const listed = specs.map((s) => s.plate);
    const query = fc.oneof(
      fc.constantFrom(...listed).chain(edited),
      fc
        .constantFrom(...listed)
        .chain(edited)
        .chain(edited),
      fc.constantFrom(...listed),
      plate,
    );
    return fc.record({
      specs: fc.constant(specs),
      queries: fc.array(query, { minLength: 1, maxLength: 30 }),
      regions: fc.option(fc.subarray(REGIONS), { nil: undefined }),
      upTo: fc.constantFrom<PlateMatchKind>('one-edit', 'one-edit', 'confusable', 'exact'),
    });
  });

describe('PlateHotlistIndex against a brute-force reference', () => {
  it('finds exactly the entries the reference finds, in the same order', () => {
    fc.assert(
      fc.property(scenario, ({ specs, queries, regions, upTo }) => {
        const entries: PlateHotlistEntry[] = specs.map((s, i) => ({
          id: `e${String(i).padStart(2, '0')}`,
          plate: s.plate,
          country: 'KZ',
          reason: 'stolen-vehicle',
          priority: s.priority,
          watchlistId: 'wl',
          regions: s.regions,
          expiresAt: new Date(NOW.getTime() + s.expiresInMs),
        }));
        const index = new PlateHotlistIndex();
        for (const e of entries) index.add(e);
        // Removals exercise the table's backward shifts and the reuse of freed groups and slots.
        for (const [i, e] of entries.entries()) if (specs[i].removed) index.remove(e.id);
        const live = entries.filter((_, i) => !specs[i].removed);
        for (const [i, e] of entries.entries()) {
          if (specs[i].removed && i % 3 === 0) {
            index.add(e);
            live.push(e);
          }
        }

        for (const q of queries) {
          const actual = index
            .match(q, { now: NOW, regions, upTo })
            .hits.map((h) => [h.entry.id, h.kind, ...(h.edit ? [h.edit] : [])]);
          expect(actual).toEqual(referenceMatch(live, q, NOW, regions, upTo));
        }
      }),
      { numRuns: 400 },
    );
  });
});

describe('KeyPostings against a list of pairs', () => {
  it('holds the same pairs through adds, deletes and growth', () => {
    // Keys from a few low-bit patterns collide in home slots and wrap around the table's end.
    const key = fc
      .tuple(fc.integer({ min: 0, max: 7 }), fc.constantFrom(0, 1, 2, 13, 14, 15, 0x7fff, 0xffff))
      .map(([high, low]) => ((high << 16) | low || 1) | 0);
    const op = fc.tuple(fc.boolean(), key, fc.integer({ min: 0, max: 5 }));
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        const table = new KeyPostings();
        const pairs: [number, number][] = [];
        for (const [adding, k, v] of ops) {
          if (adding) {
            table.add(k, v);
            pairs.push([k, v]);
          } else {
            const at = pairs.findIndex(([pk, pv]) => pk === k && pv === v);
            expect(table.delete(k, v)).toBe(at >= 0);
            if (at >= 0) pairs.splice(at, 1);
          }
        }
        expect(table.size).toBe(pairs.length);
        for (const k of new Set(pairs.map(([pk]) => pk))) {
          const values: number[] = [];
          table.collect(k, values);
          const expected = pairs.filter(([pk]) => pk === k).map(([, pv]) => pv);
          expect(values.sort()).toEqual(expected.sort());
        }
      }),
      { numRuns: 400 },
    );
  });
});
