import { computeRegionKpis, kpisToCsv, median, type KpiInput } from './kpi-calculator';

const d = (iso: string) => new Date(`${iso}T00:00:00Z`);

/*
 * Hand-computed fixture: March 2026 = [2026-03-01, 2026-04-01), districts D1 and D2.
 *
 * case  district  opened  closed (outcome)         trigger
 * c1    D1        02-10   03-10 (risk-resolved)    –       (an incident at its subject after closing)
 * c2    D1        03-05   –                        03-03 (suggestion)
 * c3    D2        03-20   03-25 (opened-in-error)  –
 * c4    D2        04-02   –                        –       (after the period)
 * c5    D1        01-01   02-15 (handed-over)      –       (before the period)
 *
 * measure  case  created  due    completed  status
 * m1       c1    02-12    03-02  03-01      done       due in March, on time
 * m2       c2    03-06    03-15  03-18      done       due in March, late
 * m3       c2    03-07    03-31  –          planned    due in March, not done
 * m4       c3    03-22    04-05  –          planned    due after March
 * m5       c2    03-08    03-20  –          cancelled  not counted
 *
 * linked incident  case  occurred  counts as a repeat?
 * l1               c1    03-05     yes (after opening, before closing)
 * l2               c1    03-12     no (after c1 closed)
 * l3               c2    03-01     no (before c2 opened)
 * l4, l5           c2    03-28/29  yes
 *
 * incidents: D1 03-02, 03-09, 03-16 (and 04-02, outside); D2 03-03; no district 03-04.
 * expected by the forecast: D1 2.5, D2 2, no district 0.5.
 *
 *                       region                      D1             D2
 * opened                c2, c3 = 2                  1              1
 * closed (by outcome)   c1 resolved, c3 error = 2   1 (resolved)   1 (error)
 * in progress at end    c2 = 1                      1              0
 * recurrence after      c1 of c1, c3 = 1/2 = 0.5    1/1 = 1        0/1 = 0
 *   closure
 * measures due          m1, m2, m3 = 3              3              0
 *   on time/late/not    1 / 1 / 1, rate 1/3         same           rate –
 * active in March       c1, c2, c3 = 3              2              1
 * repeat incidents      l1, l4, l5 = 3; cases 2     3; 2 → 2/2=1   0; 0 → 0/1=0
 *   repeat rate         2/3 = 0.6667
 * days to 1st measure   c2: 03-03→03-06 = 3; c3: 03-20→03-22 = 2; median 2.5, mean 2.5
 *                                                   3              2
 * incidents / expected  5 / 5.0 = 1.0               3 / 2.5 = 1.2  1 / 2 = 0.5
 */
const FIXTURE: KpiInput = {
  period: { from: d('2026-03-01'), to: d('2026-04-01') },
  cases: [
    {
      id: 'c1',
      districtCode: 'D1',
      openedAt: d('2026-02-10'),
      closedAt: d('2026-03-10'),
      outcome: 'risk-resolved',
      triggeredAt: null,
      recurredAfterClosure: true,
    },
    {
      id: 'c2',
      districtCode: 'D1',
      openedAt: d('2026-03-05'),
      closedAt: null,
      outcome: null,
      triggeredAt: d('2026-03-03'),
      recurredAfterClosure: false,
    },
    {
      id: 'c3',
      districtCode: 'D2',
      openedAt: d('2026-03-20'),
      closedAt: d('2026-03-25'),
      outcome: 'opened-in-error',
      triggeredAt: null,
      recurredAfterClosure: false,
    },
    {
      id: 'c4',
      districtCode: 'D2',
      openedAt: d('2026-04-02'),
      closedAt: null,
      outcome: null,
      triggeredAt: null,
      recurredAfterClosure: false,
    },
    {
      id: 'c5',
      districtCode: 'D1',
      openedAt: d('2026-01-01'),
      closedAt: d('2026-02-15'),
      outcome: 'handed-over',
      triggeredAt: null,
      recurredAfterClosure: false,
    },
  ],
  measures: [
    {
      caseId: 'c1',
      createdAt: d('2026-02-12'),
      dueAt: d('2026-03-02'),
      completedAt: d('2026-03-01'),
      status: 'done',
    },
    {
      caseId: 'c2',
      createdAt: d('2026-03-06'),
      dueAt: d('2026-03-15'),
      completedAt: d('2026-03-18'),
      status: 'done',
    },
    {
      caseId: 'c2',
      createdAt: d('2026-03-07'),
      dueAt: d('2026-03-31'),
      completedAt: null,
      status: 'planned',
    },
    {
      caseId: 'c3',
      createdAt: d('2026-03-22'),
      dueAt: d('2026-04-05'),
      completedAt: null,
      status: 'planned',
    },
    {
      caseId: 'c2',
      createdAt: d('2026-03-08'),
      dueAt: d('2026-03-20'),
      completedAt: null,
      status: 'cancelled',
    },
  ],
  linkedIncidents: [
    { caseId: 'c1', occurredAt: d('2026-03-05') },
    { caseId: 'c1', occurredAt: d('2026-03-12') },
    { caseId: 'c2', occurredAt: d('2026-03-01') },
    { caseId: 'c2', occurredAt: d('2026-03-28') },
    { caseId: 'c2', occurredAt: d('2026-03-29') },
  ],
  incidents: [
    { districtCode: 'D1', occurredAt: d('2026-03-02') },
    { districtCode: 'D1', occurredAt: d('2026-03-09') },
    { districtCode: 'D1', occurredAt: d('2026-03-16') },
    { districtCode: 'D1', occurredAt: d('2026-04-02') },
    { districtCode: 'D2', occurredAt: d('2026-03-03') },
    { districtCode: null, occurredAt: d('2026-03-04') },
  ],
  expectedIncidents: new Map([
    ['D1', 2.5],
    ['D2', 2],
    ['', 0.5],
  ]),
};

describe('prevention KPIs against the hand-computed fixture', () => {
  const [region, d1, d2] = computeRegionKpis(FIXTURE, 'ALA');

  it('gives the region first, then each district', () => {
    expect([region.districtCode, d1.districtCode, d2.districtCode]).toEqual([null, 'D1', 'D2']);
  });

  it('counts cases opened, closed by outcome and in progress', () => {
    expect(region).toMatchObject({ casesOpened: 2, casesClosed: 2, casesInProgressAtEnd: 1 });
    expect(region.casesClosedByOutcome).toEqual({
      'risk-resolved': 1,
      'handed-over': 0,
      'subject-moved': 0,
      'opened-in-error': 1,
      other: 0,
    });
    expect(d1).toMatchObject({ casesOpened: 1, casesClosed: 1, casesInProgressAtEnd: 1 });
    expect(d1.casesClosedByOutcome['risk-resolved']).toBe(1);
    expect(d2).toMatchObject({ casesOpened: 1, casesClosed: 1, casesInProgressAtEnd: 0 });
  });

  it('counts closed cases with an incident at their subject after closure', () => {
    expect(region).toMatchObject({ casesClosedWithRecurrence: 1, recurrenceRate: 0.5 });
    expect(d1.recurrenceRate).toBe(1);
    expect(d2.recurrenceRate).toBe(0);
  });

  it('counts measures done on time among those due', () => {
    expect(region).toMatchObject({
      measuresDue: 3,
      measuresDoneOnTime: 1,
      measuresDoneLate: 1,
      measuresNotDone: 1,
      measuresOnTimeRate: 0.3333,
    });
    expect(d1.measuresDue).toBe(3);
    expect(d2).toMatchObject({ measuresDue: 0, measuresOnTimeRate: null });
  });

  it('counts repeat incidents among case subjects and places', () => {
    expect(region).toMatchObject({
      casesActive: 3,
      repeatIncidents: 3,
      casesWithRepeatIncident: 2,
      repeatRate: 0.6667,
    });
    expect(d1).toMatchObject({
      casesActive: 2,
      repeatIncidents: 3,
      casesWithRepeatIncident: 2,
      repeatRate: 1,
    });
    expect(d2).toMatchObject({ casesActive: 1, repeatIncidents: 0, repeatRate: 0 });
  });

  it('measures the time from trigger to first measure', () => {
    expect(region).toMatchObject({
      casesWithFirstMeasure: 2,
      casesWithoutMeasure: 0,
      medianDaysToFirstMeasure: 2.5,
      meanDaysToFirstMeasure: 2.5,
    });
    expect(d1.medianDaysToFirstMeasure).toBe(3);
    expect(d2.medianDaysToFirstMeasure).toBe(2);
  });

  it('sets incidents against the forecast', () => {
    expect(region).toMatchObject({ incidents: 5, incidentsExpected: 5, incidentsVsForecast: 1 });
    expect(d1).toMatchObject({ incidents: 3, incidentsExpected: 2.5, incidentsVsForecast: 1.2 });
    expect(d2).toMatchObject({ incidents: 1, incidentsExpected: 2, incidentsVsForecast: 0.5 });
  });

  it('exports one CSV row per area', () => {
    const csv = kpisToCsv([region, d1, d2]).split('\r\n');
    expect(csv).toHaveLength(5);
    expect(csv[0].split(',').slice(0, 5)).toEqual([
      'regionCode',
      'districtCode',
      'from',
      'to',
      'casesOpened',
    ]);
    expect(csv[1].split(',').slice(0, 5)).toEqual([
      'ALA',
      '',
      '2026-03-01T00:00:00.000Z',
      '2026-04-01T00:00:00.000Z',
      '2',
    ]);
    expect(csv[2]).toMatch(/^ALA,D1,/);
    expect(
      csv[0].endsWith(
        'closed_risk-resolved,closed_handed-over,closed_subject-moved,closed_opened-in-error,closed_other',
      ),
    ).toBe(true);
    expect(csv[1].endsWith(',1,0,0,1,0')).toBe(true);
  });

  it('takes the median of an even count as the mean of the middle two', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
  });
});
