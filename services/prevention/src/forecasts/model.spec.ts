import { backtest, flagTop } from './backtest';
import {
  CountCube,
  hourOfWeek,
  lastWeek,
  poissonQuantile,
  seasonalBaseline,
  weekOf,
  weekStart,
  type PlaceEvent,
} from './model';

const KZ = 5;
// Monday 5 January 2026, 00:00 in Kazakhstan (UTC+5).
const MONDAY = Date.parse('2026-01-04T19:00:00Z');
const at = (week: number, hour: number) => new Date(MONDAY + week * 7 * 86_400_000 + hour * 3_600_000);
const events = (place: string, week: number, hour: number, n: number): PlaceEvent[] =>
  Array.from({ length: n }, () => ({ place, at: at(week, hour) }));

describe('calendar', () => {
  it('counts hours of the week from Monday 00:00 local time', () => {
    expect(hourOfWeek(at(0, 0), KZ)).toBe(0);
    expect(hourOfWeek(new Date('2026-01-05T18:59:00Z'), KZ)).toBe(23); // Monday 23:59 local
    expect(hourOfWeek(new Date('2026-01-11T18:30:00Z'), KZ)).toBe(167); // Sunday 23:30 local
    expect(weekOf(new Date('2026-01-11T18:59:59Z'), KZ)).toBe(weekOf(at(0, 0), KZ));
    expect(weekOf(new Date('2026-01-11T19:00:00Z'), KZ)).toBe(weekOf(at(0, 0), KZ) + 1);
    expect(weekStart(weekOf(at(0, 5), KZ), KZ).getTime()).toBe(MONDAY);
  });
});

/*
 * Hand-computed fixture. Places A and B; every incident on Monday 00:00–01:00 (hour 0).
 *
 *   week        0   1   2 | 3 (tested)
 *   A, hour 0   2   0   1 | 1
 *   B, hour 0   0   3   0 | 2
 *
 * Model K = 2 weeks, decay 0.5: weights 1 (week T−1) and 0.5 (week T−2), sum 1.5.
 *   A: (1·1 + 0.5·0) / 1.5 = 0.6667        naive A = count(week 2) = 1
 *   B: (1·0 + 0.5·3) / 1.5 = 1.0           naive B = 0
 * Pairs known before week 3: 2 places × 168 hours = 336; flagShare 0.002 → ceil(0.672) = 1 flagged.
 *   model flags B·h0: hits 2 of 3 → hit rate 0.6667, area 1/336, PAI = 0.6667 · 336 = 224
 *   naive flags A·h0: hits 1 of 3 → hit rate 0.3333, area 1/336, PAI = 0.3333 · 336 = 112
 * Week 1 for A with only week 0 before it: weights 1 → 2 / 1 = 2.
 */
const FIXTURE: PlaceEvent[] = [
  ...events('A', 0, 0, 2),
  ...events('A', 2, 0, 1),
  ...events('A', 3, 0, 1),
  ...events('B', 1, 0, 3),
  ...events('B', 3, 0, 2),
];
const SETTINGS = { lookbackWeeks: 2, decay: 0.5, utcOffsetHours: KZ, hourSmoothing: 0 };

describe('seasonal baseline weighted toward recent weeks', () => {
  const cube = CountCube.of(FIXTURE, KZ);
  const w0 = weekOf(at(0, 0), KZ);

  it('matches the hand computation', () => {
    expect(seasonalBaseline(cube, 'A', w0 + 3, SETTINGS)[0]).toBeCloseTo(0.6667, 4);
    expect(seasonalBaseline(cube, 'B', w0 + 3, SETTINGS)[0]).toBeCloseTo(1.0, 10);
    expect(seasonalBaseline(cube, 'A', w0 + 1, SETTINGS)[0]).toBe(2);
    expect(seasonalBaseline(cube, 'A', w0 + 3, SETTINGS)[1]).toBe(0);
    expect(lastWeek(cube, 'A', w0 + 3)[0]).toBe(1);
    expect(lastWeek(cube, 'B', w0 + 3)[0]).toBe(0);
  });

  it('backtests against the naive last-week baseline in the same run', () => {
    const result = backtest(FIXTURE, { ...SETTINGS, testWeeks: 1, flagShare: 0.002 });
    expect(result.weeks).toHaveLength(1);
    const [week] = result.weeks;
    expect(week).toMatchObject({ week: w0 + 3, incidents: 3, pairs: 336 });
    expect(week.model).toMatchObject({ hits: 2, flagged: 1 });
    expect(week.model.hitRate).toBeCloseTo(2 / 3, 10);
    expect(week.model.pai).toBeCloseTo(224, 8);
    expect(week.naive).toMatchObject({ hits: 1, flagged: 1 });
    expect(week.naive.pai).toBeCloseTo(112, 8);
    expect(result.model.pai).toBeCloseTo(224, 8);
  });

  it('flags nothing that scores zero, and breaks ties by place then hour', () => {
    const scores = new Map([
      ['B', Float64Array.from({ length: 168 }, (_, h) => (h === 3 ? 1 : 0))],
      ['A', Float64Array.from({ length: 168 }, (_, h) => (h === 7 || h === 2 ? 1 : 0))],
    ]);
    expect([...flagTop(scores, 0.005)]).toEqual(['A#2', 'A#7']); // ceil(0.005 · 336) = 2 of three tied pairs: A's first
    expect(flagTop(scores, 1).size).toBe(3);
  });
});

/*
 * Smoothing across hours, by hand. Week 0: A has 1 incident at hour 0, B 1 at hour 1. Target
 * week 1, K = 1 (weight 1), s = 0.5. Region shape: hour 0 ½, hour 1 ½. A's level: 1 a week.
 *   A hour 0: 0.5 · 1 + 0.5 · 1 · ½ = 0.75;  hour 1: 0.5 · 0 + 0.5 · 1 · ½ = 0.25;  others 0.
 * The week's total stays A's level, 1.
 */
describe('smoothing across hours with the region’s rhythm', () => {
  it('matches the hand computation', () => {
    const cube = CountCube.of([...events('A', 0, 0, 1), ...events('B', 0, 1, 1)], KZ);
    const week = weekOf(at(1, 0), KZ);
    const a = seasonalBaseline(cube, 'A', week, {
      lookbackWeeks: 1,
      decay: 1,
      utcOffsetHours: KZ,
      hourSmoothing: 0.5,
    });
    expect(a[0]).toBeCloseTo(0.75, 12);
    expect(a[1]).toBeCloseTo(0.25, 12);
    expect(a[2]).toBe(0);
    expect(a.reduce((x, y) => x + y, 0)).toBeCloseTo(1, 12);
  });
});

describe('poisson upper bound', () => {
  it('is the 90% quantile', () => {
    // P(X ≤ 0 | λ = 0.1) = e^-0.1 = 0.905 ≥ 0.9
    expect(poissonQuantile(0.1)).toBe(0);
    // λ = 1: P(X ≤ 1) = 0.7358, P(X ≤ 2) = 0.9197
    expect(poissonQuantile(1)).toBe(2);
    expect(poissonQuantile(0)).toBe(0);
  });
});
