import { firstFullWindow } from './repeat-window';

const DAY = 86_400_000;
const at = (days: number) => ({ id: `d${days}`, occurredAt: new Date(Date.UTC(2026, 0, 1) + days * DAY) });

describe('firstFullWindow', () => {
  it('finds the incidents of the window ending at the new one, as the rule always did', () => {
    const nearby = [at(0), at(5), at(9)];
    expect(firstFullWindow(nearby, at(9).occurredAt, 10 * DAY, 3)?.map((i) => i.id)).toEqual([
      'd0',
      'd5',
      'd9',
    ]);
    expect(firstFullWindow(nearby, at(9).occurredAt, 7 * DAY, 3)).toBeNull();
  });

  it('also finds a window reaching past the incident, when it was confirmed after later ones', () => {
    const nearby = [at(0), at(3), at(6)];
    expect(firstFullWindow(nearby, at(0).occurredAt, 7 * DAY, 3)?.map((i) => i.id)).toEqual([
      'd0',
      'd3',
      'd6',
    ]);
    expect(firstFullWindow(nearby, at(3).occurredAt, 7 * DAY, 2)?.map((i) => i.id)).toEqual([
      'd0',
      'd3',
      'd6',
    ]);
  });

  it('never counts a window that does not hold the incident', () => {
    const nearby = [at(0), at(1), at(2), at(20)];
    expect(firstFullWindow(nearby, at(20).occurredAt, 7 * DAY, 2)).toBeNull();
  });
});
