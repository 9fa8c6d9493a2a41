import {
  InvalidHotlistEntryError,
  PlateHotlistEntry,
  PlateHotlistIndex,
  PlateMatchOptions,
} from './plate-hotlist-index';
import { CONFUSABLE_CLASSES } from '@safecity/plates';

const NOW = new Date('2026-11-25T12:00:00Z');
const LATER = new Date('2027-11-25T00:00:00Z');

let serial = 0;
function entry(plate: string, fields: Partial<PlateHotlistEntry> = {}): PlateHotlistEntry {
  return {
    id: `e${++serial}`,
    plate,
    country: 'KZ',
    reason: 'stolen-vehicle',
    priority: 2,
    watchlistId: 'wl-police',
    regions: 'national',
    expiresAt: LATER,
    ...fields,
  };
}

function indexOf(...entries: PlateHotlistEntry[]): PlateHotlistIndex {
  const index = new PlateHotlistIndex();
  for (const e of entries) index.add(e);
  return index;
}

function hits(index: PlateHotlistIndex, plate: string, options: Partial<PlateMatchOptions> = {}) {
  return index
    .match(plate, { now: NOW, ...options })
    .hits.map((h) => (h.edit ? [h.entry.id, h.kind, h.edit] : [h.entry.id, h.kind]));
}

describe('PlateHotlistIndex', () => {
  describe('exact', () => {
    it('matches the listed plate, however it is written', () => {
      const listed = entry('123ABC02');
      const index = indexOf(listed, entry('777KZ01'));
      const result = index.match('123 авс-02', { now: NOW });
      expect(result.normalised).toBe('123ABC02');
      expect(result.kind).toBe('exact');
      expect(result.hits).toEqual([{ entry: listed, kind: 'exact' }]);
    });

    it('matches a plate listed in Cyrillic', () => {
      const listed = entry('А 123 ВС');
      expect(hits(indexOf(listed), 'A123BC')).toEqual([[listed.id, 'exact']]);
    });

    it('lists every entry of the plate', () => {
      const a = entry('123ABC02', { id: 'a', watchlistId: 'wl-police' });
      const b = entry('123ABC02', { id: 'b', watchlistId: 'wl-customs' });
      expect(hits(indexOf(a, b), '123ABC02').map(([id]) => id)).toEqual([a.id, b.id]);
    });

    it('finds nothing for a plate that is not listed or not a plate', () => {
      const index = indexOf(entry('123ABC02'));
      expect(index.match('999XYZ17', { now: NOW })).toEqual({
        normalised: '999XYZ17',
        kind: undefined,
        hits: [],
      });
      expect(index.match('#', { now: NOW })).toEqual({ normalised: undefined, kind: undefined, hits: [] });
    });
  });

  describe('confusable', () => {
    const pairs = CONFUSABLE_CLASSES.flatMap((cls) =>
      [...cls].flatMap((a) => [...cls].filter((b) => b !== a).map((b) => [a, b])),
    );

    it.each(pairs)('matches %s read as %s', (listedChar, readChar) => {
      const listed = entry(`7${listedChar}7AB02`);
      expect(hits(indexOf(listed), `7${readChar}7AB02`)).toEqual([[listed.id, 'confusable']]);
    });

    it('matches several confusions at once', () => {
      const listed = entry('123ABC02');
      expect(hits(indexOf(listed), 'IZ3A8CO2')).toEqual([[listed.id, 'confusable']]);
      expect(hits(indexOf(listed), 'LZ3ABCQZ')).toEqual([[listed.id, 'confusable']]);
    });

    it('is not looked for when only exact hits are asked for', () => {
      const listed = entry('123ABC02');
      expect(hits(indexOf(listed), '123A8C02', { upTo: 'exact' })).toEqual([]);
      expect(hits(indexOf(listed), '123A8C02', { upTo: 'confusable' })).toEqual([[listed.id, 'confusable']]);
    });
  });

  describe('one edit', () => {
    const listed = entry('123ABC02');
    const index = indexOf(listed);

    it.each([
      ['123ABX02', 'substitution'],
      ['723ABC02', 'substitution'],
      ['123ABC07', 'substitution'],
      ['1234ABC02', 'insertion'],
      ['123ABC027', 'insertion'],
      ['X123ABC02', 'insertion'],
      ['12ABC02', 'deletion'],
      ['23ABC02', 'deletion'],
      ['123ABC0', 'deletion'],
      ['132ABC02', 'transposition'],
      ['123ACB02', 'transposition'],
      ['123ABC20', 'transposition'],
    ])('matches %s by %s', (read, edit) => {
      expect(hits(index, read)).toEqual([[listed.id, 'one-edit', edit]]);
    });

    it('combines one edit with confusable characters', () => {
      expect(hits(index, 'I23A8CO')).toEqual([[listed.id, 'one-edit', 'deletion']]);
      expect(hits(index, 'IZ3A8XOZ')).toEqual([[listed.id, 'one-edit', 'substitution']]);
    });

    it.each([
      ['125AXC02', 'two substitutions'],
      ['1ABC02', 'two deletions'],
      ['12345ABC02', 'two insertions'],
      ['321ABC02', 'a swap of non-neighbours'],
      ['213ABC20', 'two swaps'],
      ['23ABC027', 'a deletion and an insertion'],
    ])('does not match %s (%s)', (read) => {
      expect(hits(index, read)).toEqual([]);
    });

    it('matches short plates', () => {
      const short = entry('AB');
      const idx = indexOf(short);
      expect(hits(idx, 'AX')).toEqual([[short.id, 'one-edit', 'substitution']]);
      expect(hits(idx, 'BA')).toEqual([[short.id, 'one-edit', 'transposition']]);
      expect(hits(idx, 'ABC')).toEqual([[short.id, 'one-edit', 'insertion']]);
      expect(hits(idx, 'XY')).toEqual([]);
    });

    it('is not looked for up to confusable', () => {
      expect(hits(index, '123ABX02', { upTo: 'confusable' })).toEqual([]);
    });
  });

  describe('expiry', () => {
    const expiresAt = new Date('2026-12-01T00:00:00Z');
    const listed = entry('123ABC02', { expiresAt });
    const index = indexOf(listed);

    it('matches until just before expiresAt', () => {
      const now = new Date(expiresAt.getTime() - 1);
      expect(hits(index, '123ABC02', { now })).toEqual([[listed.id, 'exact']]);
      expect(hits(index, '123ABC02', { now, upTo: 'exact' })).toEqual([[listed.id, 'exact']]);
    });

    it.each(['exact', 'confusable', 'one-edit'] as const)(
      'never matches at or after expiresAt, up to %s',
      (upTo) => {
        for (const now of [expiresAt, new Date(expiresAt.getTime() + 1), LATER]) {
          for (const read of ['123ABC02', '123A8C02', '123ABX02']) {
            expect(hits(index, read, { now, upTo })).toEqual([]);
          }
        }
      },
    );

    it('keeps other entries of the plate matching', () => {
      const live = entry('123ABC02');
      const idx = indexOf(listed, live);
      expect(hits(idx, '123ABC02', { now: expiresAt })).toEqual([[live.id, 'exact']]);
    });

    it('removeExpired unlists what has expired', () => {
      const live = entry('777KZ01');
      const idx = indexOf(listed, live);
      expect(idx.removeExpired(NOW)).toBe(0);
      expect(idx.removeExpired(expiresAt)).toBe(1);
      expect(idx.size).toBe(1);
      expect(idx.get(listed.id)).toBeUndefined();
      expect(hits(idx, '777KZ01')).toEqual([[live.id, 'exact']]);
    });
  });

  describe('region scope', () => {
    const almaty = entry('123ABC02', { regions: ['02'] });
    const south = entry('123ABC02', { regions: ['05', '17', '13'] });
    const national = entry('123ABC02', { regions: 'national' });
    const index = indexOf(almaty, south, national);
    const ids = (regions?: string[], read = '123ABC02') =>
      index
        .match(read, { now: NOW, regions })
        .hits.map((h) => h.entry.id)
        .sort();

    it('applies an entry only in its regions', () => {
      expect(ids(['02'])).toEqual([almaty.id, national.id].sort());
      expect(ids(['17'])).toEqual([south.id, national.id].sort());
      expect(ids(['01'])).toEqual([national.id]);
      expect(ids(['01', '13'])).toEqual([south.id, national.id].sort());
      expect(ids(['02', '05'], '123A8C02')).toEqual([almaty.id, south.id, national.id].sort());
      expect(ids(['01'], '123ABX02')).toEqual([national.id]);
    });

    it('applies only national entries to a caller without regions', () => {
      expect(ids([])).toEqual([national.id]);
    });

    it('applies every entry when the caller is not limited to regions', () => {
      expect(ids(undefined)).toEqual([almaty.id, south.id, national.id].sort());
    });
  });

  describe('ranking', () => {
    it('ranks exact, confusable, one-edit, then by priority, then by id', () => {
      const oneEditUrgent = entry('123ABX02', { id: 'a', priority: 4 });
      const confusableLow = entry('I23ABC02', { id: 'b', priority: 1 });
      const exactLow = entry('123ABC02', { id: 'c', priority: 1 });
      const exactHigh = entry('123ABC02', { id: 'd', priority: 3 });
      const confusableHigh = entry('123A8C02', { id: 'e', priority: 3 });
      const oneEditLow = entry('123ABC0', { id: 'f', priority: 1 });
      const oneEditLowToo = entry('1Z3ABC0', { id: 'g', priority: 1 });
      const index = indexOf(
        oneEditUrgent,
        confusableLow,
        exactLow,
        exactHigh,
        confusableHigh,
        oneEditLowToo,
        oneEditLow,
      );
      const result = index.match('123ABC02', { now: NOW });
      expect(result.kind).toBe('exact');
      expect(result.hits.map((h) => [h.entry.id, h.kind])).toEqual([
        ['d', 'exact'],
        ['c', 'exact'],
        ['e', 'confusable'],
        ['b', 'confusable'],
        ['a', 'one-edit'],
        ['f', 'one-edit'],
        ['g', 'one-edit'],
      ]);
      expect(index.match('123A8C02', { now: NOW }).kind).toBe('exact');
      expect(index.match('1Z3A8C02', { now: NOW }).kind).toBe('confusable');
    });
  });

  describe('removal and replacement', () => {
    it('unlists an entry', () => {
      const listed = entry('123ABC02');
      const index = indexOf(listed);
      expect(index.remove(listed.id)).toBe(true);
      expect(index.remove(listed.id)).toBe(false);
      expect(index.size).toBe(0);
      for (const read of ['123ABC02', '123A8C02', '123ABX02']) expect(hits(index, read)).toEqual([]);
      expect(index.stats()).toMatchObject({ entries: 0, skeletons: 0, postings: 0 });
    });

    it('keeps the other entries of the plate and of the skeleton', () => {
      const a = entry('123ABC02');
      const b = entry('123ABC02');
      const c = entry('123A8C02');
      const index = indexOf(a, b, c);
      index.remove(a.id);
      expect(hits(index, '123ABC02')).toEqual([
        [b.id, 'exact'],
        [c.id, 'confusable'],
      ]);
      expect(hits(index, '123ABC02', { upTo: 'exact' })).toEqual([[b.id, 'exact']]);
      index.remove(b.id);
      expect(hits(index, '123ABC02', { upTo: 'exact' })).toEqual([]);
      expect(hits(index, '123A8C02', { upTo: 'exact' })).toEqual([[c.id, 'exact']]);
      expect(hits(index, '123ABX02')).toEqual([[c.id, 'one-edit', 'substitution']]);
    });

    it('replaces an entry added again with the same id', () => {
      const index = indexOf(entry('123ABC02', { id: 'x', priority: 1 }));
      const changed = entry('555KZ17', { id: 'x', priority: 4 });
      index.add(changed);
      expect(index.size).toBe(1);
      expect(index.get('x')).toBe(changed);
      expect(hits(index, '123ABC02')).toEqual([]);
      expect(hits(index, '555KZ17')).toEqual([['x', 'exact']]);
    });

    it('reuses freed space', () => {
      const index = new PlateHotlistIndex();
      for (let round = 0; round < 3; round++) {
        const entries = Array.from({ length: 500 }, (_, i) => entry(`${100 + i}ABC02`));
        for (const e of entries) index.add(e);
        expect(hits(index, '250ABC02').map(([, kind]) => kind)).toContain('exact');
        for (const e of entries) index.remove(e.id);
        expect(index.stats()).toMatchObject({ entries: 0, skeletons: 0, postings: 0 });
      }
    });
  });

  describe('validation', () => {
    const index = new PlateHotlistIndex();
    const field = (e: PlateHotlistEntry) => {
      try {
        index.add(e);
      } catch (error) {
        if (error instanceof InvalidHotlistEntryError) return error.field;
        throw error;
      }
      return undefined;
    };

    it('rejects entries it could not match or could not expire', () => {
      expect(field(entry('123ABC02', { id: '' }))).toBe('id');
      expect(field(entry('1'))).toBe('plate');
      expect(field(entry('123 ABC 02 12345'))).toBe('plate');
      expect(field(entry('12/34'))).toBe('plate');
      expect(field(entry('123ABC02', { expiresAt: new Date(NaN) }))).toBe('expiresAt');
      expect(field(entry('123ABC02', { expiresAt: undefined as unknown as Date }))).toBe('expiresAt');
      expect(field(entry('123ABC02', { priority: NaN }))).toBe('priority');
      expect(field(entry('123ABC02', { regions: [] }))).toBe('regions');
      expect(field(entry('123ABC02', { regions: [''] }))).toBe('regions');
      expect(index.size).toBe(0);
    });

    it('keeps the entry it had when a replacement is rejected', () => {
      const listed = entry('123ABC02', { id: 'kept' });
      index.add(listed);
      expect(field(entry('', { id: 'kept' }))).toBe('plate');
      expect(index.get('kept')).toBe(listed);
    });
  });
});
