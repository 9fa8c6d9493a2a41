import { boundsOf, cellOf, cellPolygon } from './grid';
import { expectedOverPeriod } from './expectation';

describe('grid cells', () => {
  it('puts a point in the cell whose bounds hold it', () => {
    const id = cellOf(43.2389, 76.8897);
    expect(id).toBe('g0.01:4323:7688');
    expect(boundsOf(id)).toEqual({ south: 43.23, west: 76.88, north: 43.24, east: 76.89 });
    expect(cellPolygon(id).coordinates[0]).toHaveLength(5);
    expect(() => boundsOf('ALA-ALMALY')).toThrow(RangeError);
  });
});

describe('expected incidents over a period', () => {
  /*
   * Hand fixture, K = 2, decay 0.5, UTC+5. District D had 2 incidents on Monday 00:00 local of
   * week 0 and 1 on Monday 00:00 of week 1; none at other hours.
   * The period is week 2 Monday 00:00–02:00 local (two hours):
   *   hour 0: (1·1 + 0.5·2) / 1.5 = 1.3333; hour 1: 0   → expected 1.3333
   * Every incident is at hour 0, so smoothing with the region's shape (all at hour 0) changes nothing.
   * (Every incident is at hour 0, so smoothing with the region's shape, all at hour 0, changes nothing.)
   */
  it('sums the baseline hour by hour', () => {
    const monday = Date.parse('2026-01-04T19:00:00Z');
    const week = 7 * 86_400_000;
    const history = [
      { place: 'D', at: new Date(monday) },
      { place: 'D', at: new Date(monday + 60_000) },
      { place: 'D', at: new Date(monday + week) },
    ];
    const from = new Date(monday + 2 * week);
    const to = new Date(monday + 2 * week + 2 * 3_600_000);
    const expected = expectedOverPeriod(history, from, to, {
      lookbackWeeks: 2,
      decay: 0.5,
      utcOffsetHours: 5,
      hourSmoothing: 0.5,
    });
    expect(expected.get('D')).toBeCloseTo(4 / 3, 10);
  });
});
