import { OUTCOMES, type Outcome } from '../domain/vocabulary';

/** The facts the KPIs are computed from; see docs/prevention-kpis.md for each formula. */
export interface KpiCase {
  id: string;
  districtCode: string | null;
  openedAt: Date;
  closedAt: Date | null;
  outcome: Outcome | null;
  /** When the trigger behind the case fired (the suggestion), else null: the opening is the trigger. */
  triggeredAt: Date | null;
  /** Closed, and an incident happened at the subject's address after the closure. */
  recurredAfterClosure: boolean;
}

export interface KpiMeasure {
  caseId: string;
  createdAt: Date;
  dueAt: Date;
  completedAt: Date | null;
  status: string;
}

export interface KpiLinkedIncident {
  caseId: string;
  occurredAt: Date;
}

export interface KpiIncident {
  districtCode: string | null;
  occurredAt: Date;
}

export interface KpiInput {
  period: { from: Date; to: Date };
  cases: KpiCase[];
  measures: KpiMeasure[];
  linkedIncidents: KpiLinkedIncident[];
  /** Incidents of the period (false alarms excluded). */
  incidents: KpiIncident[];
  /** Incidents the forecast expected in the period, per district ('' for incidents without one). */
  expectedIncidents: Map<string, number>;
}

export interface Kpis {
  regionCode: string;
  /** Null for the whole region. */
  districtCode: string | null;
  from: string;
  to: string;
  casesOpened: number;
  casesClosed: number;
  casesClosedByOutcome: Record<Outcome, number>;
  casesInProgressAtEnd: number;
  casesClosedWithRecurrence: number;
  recurrenceRate: number | null;
  measuresDue: number;
  measuresDoneOnTime: number;
  measuresDoneLate: number;
  measuresNotDone: number;
  measuresOnTimeRate: number | null;
  casesActive: number;
  repeatIncidents: number;
  casesWithRepeatIncident: number;
  repeatRate: number | null;
  casesWithFirstMeasure: number;
  casesWithoutMeasure: number;
  medianDaysToFirstMeasure: number | null;
  meanDaysToFirstMeasure: number | null;
  incidents: number;
  incidentsExpected: number;
  incidentsVsForecast: number | null;
}

const DAY = 86_400_000;
const within = (t: Date, from: Date, to: Date) => t >= from && t < to;
const ratio = (a: number, b: number) => (b > 0 ? a / b : null);
const round = (x: number | null, digits = 4) =>
  x === null ? null : Math.round(x * 10 ** digits) / 10 ** digits;

export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The KPIs of one area (the region, or one district when `district` is given) over the period. */
export function computeKpis(input: KpiInput, regionCode: string, district?: string): Kpis {
  const { from, to } = input.period;
  const inArea = (d: string | null) => district === undefined || d === district;
  const cases = input.cases.filter((c) => inArea(c.districtCode));
  const ids = new Set(cases.map((c) => c.id));
  const byId = new Map(cases.map((c) => [c.id, c]));
  const measures = input.measures.filter((m) => ids.has(m.caseId));

  const opened = cases.filter((c) => within(c.openedAt, from, to));
  const closed = cases.filter((c) => c.closedAt && within(c.closedAt, from, to));
  const byOutcome = Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>;
  for (const c of closed) if (c.outcome) byOutcome[c.outcome] += 1;
  const recurred = closed.filter((c) => c.recurredAfterClosure).length;
  const inProgress = cases.filter((c) => c.openedAt < to && (!c.closedAt || c.closedAt >= to));
  // Active at some moment of the period.
  const active = cases.filter((c) => c.openedAt < to && (!c.closedAt || c.closedAt >= from));

  const due = measures.filter((m) => m.status !== 'cancelled' && within(m.dueAt, from, to));
  const onTime = due.filter((m) => m.completedAt && m.completedAt <= m.dueAt).length;
  const late = due.filter((m) => m.completedAt && m.completedAt > m.dueAt).length;

  // Incidents at a case's subject after the case was opened and before it closed.
  const repeats = input.linkedIncidents.filter((l) => {
    const c = byId.get(l.caseId);
    return (
      c &&
      within(l.occurredAt, from, to) &&
      l.occurredAt >= c.openedAt &&
      (!c.closedAt || l.occurredAt < c.closedAt)
    );
  });
  const casesWithRepeat = new Set(repeats.map((r) => r.caseId)).size;

  const delays: number[] = [];
  for (const c of opened) {
    const first = measures
      .filter((m) => m.caseId === c.id)
      .reduce<Date | null>((min, m) => (!min || m.createdAt < min ? m.createdAt : min), null);
    if (first) delays.push((first.getTime() - (c.triggeredAt ?? c.openedAt).getTime()) / DAY);
  }

  const incidents = input.incidents.filter(
    (i) => inArea(i.districtCode) && within(i.occurredAt, from, to),
  ).length;
  let expected = 0;
  for (const [d, value] of input.expectedIncidents) if (inArea(d === '' ? null : d)) expected += value;

  return {
    regionCode,
    districtCode: district ?? null,
    from: from.toISOString(),
    to: to.toISOString(),
    casesOpened: opened.length,
    casesClosed: closed.length,
    casesClosedByOutcome: byOutcome,
    casesInProgressAtEnd: inProgress.length,
    casesClosedWithRecurrence: recurred,
    recurrenceRate: round(ratio(recurred, closed.length)),
    measuresDue: due.length,
    measuresDoneOnTime: onTime,
    measuresDoneLate: late,
    measuresNotDone: due.length - onTime - late,
    measuresOnTimeRate: round(ratio(onTime, due.length)),
    casesActive: active.length,
    repeatIncidents: repeats.length,
    casesWithRepeatIncident: casesWithRepeat,
    repeatRate: round(ratio(casesWithRepeat, active.length)),
    casesWithFirstMeasure: delays.length,
    casesWithoutMeasure: opened.length - delays.length,
    medianDaysToFirstMeasure: round(median(delays)),
    meanDaysToFirstMeasure: round(delays.length ? delays.reduce((a, b) => a + b, 0) / delays.length : null),
    incidents,
    incidentsExpected: round(expected) as number,
    incidentsVsForecast: round(ratio(incidents, expected)),
  };
}

/** The region first, then each district that appears in the facts, in code order. */
export function computeRegionKpis(input: KpiInput, regionCode: string, district?: string): Kpis[] {
  if (district) return [computeKpis(input, regionCode, district)];
  const districts = new Set<string>();
  for (const c of input.cases) if (c.districtCode) districts.add(c.districtCode);
  for (const i of input.incidents) if (i.districtCode) districts.add(i.districtCode);
  return [
    computeKpis(input, regionCode),
    ...[...districts].sort().map((d) => computeKpis(input, regionCode, d)),
  ];
}

const CSV_COLUMNS: (keyof Kpis)[] = [
  'regionCode',
  'districtCode',
  'from',
  'to',
  'casesOpened',
  'casesClosed',
  'casesInProgressAtEnd',
  'casesClosedWithRecurrence',
  'recurrenceRate',
  'measuresDue',
  'measuresDoneOnTime',
  'measuresDoneLate',
  'measuresNotDone',
  'measuresOnTimeRate',
  'casesActive',
  'repeatIncidents',
  'casesWithRepeatIncident',
  'repeatRate',
  'casesWithFirstMeasure',
  'casesWithoutMeasure',
  'medianDaysToFirstMeasure',
  'meanDaysToFirstMeasure',
  'incidents',
  'incidentsExpected',
  'incidentsVsForecast',
];

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  // Cells that a spreadsheet would run as a formula are quoted with a leading apostrophe.
  const safe = /^[=+\-@\t\r]/.test(text) && !/^-?\d/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** RFC 4180 CSV, one row per area, outcomes as `closed_<outcome>` columns. */
export function kpisToCsv(rows: Kpis[]): string {
  const header = [...CSV_COLUMNS, ...OUTCOMES.map((o) => `closed_${o}`)];
  const lines = [header.join(',')];
  for (const row of rows) {
    lines.push(
      [
        ...CSV_COLUMNS.map((c) => csvCell(row[c])),
        ...OUTCOMES.map((o) => csvCell(row.casesClosedByOutcome[o])),
      ].join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}
