import fc from 'fast-check';
import { ExactPlateTable } from './exact-plate-table';

const anyPlate = fc.stringOf(fc.constantFrom(...'0123456789ABCDEOQ'), { minLength: 1, maxLength: 12 });
// A small pool, so that deletes hit plates that are there and probe runs form and break up.
const POOL = fc.sample(anyPlate, { numRuns: 120, seed: 42 });
const plate = fc.oneof(fc.constantFrom(...POOL), anyPlate);
const operation = fc.oneof(
  fc.tuple(fc.constant('set' as const), plate, fc.integer({ min: 0, max: 1_000_000 })),
  fc.tuple(fc.constant('delete' as const), plate, fc.constant(0)),
);

describe('exact plate table', () => {
  it('answers like a Map through any sequence of sets and deletes (growth and probe runs included)', () => {
    fc.assert(
      fc.property(
        fc.array(operation, { maxLength: 400 }),
        fc.array(plate, { maxLength: 50 }),
        (ops, probes) => {
          const table = new ExactPlateTable();
          const reference = new Map<string, number>();
          for (const [op, key, value] of ops) {
            if (op === 'set') {
              table.set(key, value);
              reference.set(key, value);
            } else {
              expect(table.delete(key)).toBe(reference.delete(key));
            }
            expect(table.size).toBe(reference.size);
          }
          for (const key of [...reference.keys(), ...probes])
            expect(table.get(key, -1)).toBe(reference.get(key) ?? -1);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('keeps plates apart that differ only past the fourth character or in length', () => {
    const table = new ExactPlateTable();
    table.set('123ABC02', 1);
    table.set('123ABC03', 2);
    table.set('123ABC0', 3);
    expect([table.get('123ABC02', -1), table.get('123ABC03', -1), table.get('123ABC0', -1)]).toEqual([
      1, 2, 3,
    ]);
    expect(table.get('123ABC02X', -1)).toBe(-1);
    expect(() => table.set('1234567890ABC', 4)).toThrow(RangeError);
  });
});
