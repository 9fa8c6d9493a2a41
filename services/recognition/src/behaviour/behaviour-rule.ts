import { recognition } from '@safecity/contracts';

export const BEHAVIOURS = [
  'fight',
  'fall',
  'loitering',
  'intrusion',
  'crowd',
  'abandoned-object',
  'line-crossing',
  'fire-smoke',
] as const;
export type Behaviour = (typeof BEHAVIOURS)[number];

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const BEHAVIOUR_OF: Record<number, Behaviour> = {
  [recognition.BehaviourType.BEHAVIOUR_TYPE_FIGHT]: 'fight',
  [recognition.BehaviourType.BEHAVIOUR_TYPE_FALL]: 'fall',
  [recognition.BehaviourType.BEHAVIOUR_TYPE_LOITERING]: 'loitering',
  [recognition.BehaviourType.BEHAVIOUR_TYPE_INTRUSION]: 'intrusion',
  [recognition.BehaviourType.BEHAVIOUR_TYPE_CROWD]: 'crowd',
  [recognition.BehaviourType.BEHAVIOUR_TYPE_ABANDONED_OBJECT]: 'abandoned-object',
  [recognition.BehaviourType.BEHAVIOUR_TYPE_LINE_CROSSING]: 'line-crossing',
  [recognition.BehaviourType.BEHAVIOUR_TYPE_FIRE_SMOKE]: 'fire-smoke',
};

export const SEVERITY_MESSAGE: Record<Severity, recognition.AlertSeverity> = {
  low: recognition.AlertSeverity.ALERT_SEVERITY_LOW,
  medium: recognition.AlertSeverity.ALERT_SEVERITY_MEDIUM,
  high: recognition.AlertSeverity.ALERT_SEVERITY_HIGH,
  critical: recognition.AlertSeverity.ALERT_SEVERITY_CRITICAL,
};

/** Days are ISO weekdays (1 Monday … 7 Sunday); `to` before `from` runs past midnight into the next day. */
export interface ScheduleWindow {
  days: number[];
  /** "HH:MM", camera local time, inclusive. */
  from: string;
  /** "HH:MM", exclusive. */
  to: string;
}

export interface Point {
  x: number;
  y: number;
}

export interface BehaviourRule {
  id: string;
  cameraId: string;
  regionCode: string;
  behaviour: Behaviour;
  minConfidence: number;
  /** When the rule is armed; empty: always. */
  schedule: ScheduleWindow[];
  /** IANA zone of the camera's local time, e.g. Asia/Almaty. */
  timeZone: string;
  /** Polygon in frame coordinates normalised to 0..1; null: the whole frame. */
  zone: Point[] | null;
  severity: Severity;
  enabled: boolean;
  version: number;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

export type RuleVerdict =
  | 'fires'
  | 'other-behaviour'
  | 'disabled'
  | 'low-confidence'
  | 'off-schedule'
  | 'outside-zone'
  | 'no-frame-box';

/** Whether a behaviour detection observed at `observedAt` passes the rule, or why not. */
export function judge(
  rule: BehaviourRule,
  observation: recognition.BehaviourObservation,
  observedAt: Date,
  box: recognition.NormalizedBox | null | undefined,
): RuleVerdict {
  if (!rule.enabled) return 'disabled';
  if (BEHAVIOUR_OF[observation.type] !== rule.behaviour) return 'other-behaviour';
  if (!(observation.confidence >= rule.minConfidence)) return 'low-confidence';
  if (!inSchedule(rule.schedule, rule.timeZone, observedAt)) return 'off-schedule';
  if (rule.zone) {
    // A zone cannot be checked without knowing where in the frame it happened.
    if (!box) return 'no-frame-box';
    if (!inZone(rule.behaviour, rule.zone, box)) return 'outside-zone';
  }
  return 'fires';
}

const WEEKDAY: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/** Weekday (1–7) and minute of the day of `at` in the time zone. */
export function localTime(timeZone: string, at: Date): { day: number; minute: number } {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return { day: WEEKDAY[get('weekday')], minute: Number(get('hour')) * 60 + Number(get('minute')) };
}

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

export function inSchedule(schedule: readonly ScheduleWindow[], timeZone: string, at: Date): boolean {
  if (schedule.length === 0) return true;
  const { day, minute } = localTime(timeZone, at);
  const yesterday = day === 1 ? 7 : day - 1;
  return schedule.some((w) => {
    const from = minutes(w.from);
    const to = minutes(w.to);
    if (from < to) return w.days.includes(day) && minute >= from && minute < to;
    // Past midnight: the evening part on the window's days, the early part on the day after.
    return (w.days.includes(day) && minute >= from) || (w.days.includes(yesterday) && minute < to);
  });
}

/**
 * People and objects count where they stand: the bottom centre of their box must be in the zone
 * (someone outside a fence whose box reaches over it has not intruded). Fire, smoke and crowds
 * have no footprint: any overlap of box and zone counts.
 */
export function inZone(
  behaviour: Behaviour,
  zone: readonly Point[],
  box: recognition.NormalizedBox,
): boolean {
  if (behaviour === 'fire-smoke' || behaviour === 'crowd') return overlaps(zone, box);
  return contains(zone, { x: box.x + box.width / 2, y: box.y + box.height });
}

/** Even–odd ray casting. */
export function contains(polygon: readonly Point[], p: Point): boolean {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const a = polygon[i];
    const b = polygon[j];
    if (a.y > p.y !== b.y > p.y && p.x < ((b.x - a.x) * (p.y - a.y)) / (b.y - a.y) + a.x) inside = !inside;
  }
  return inside;
}

function overlaps(polygon: readonly Point[], box: recognition.NormalizedBox): boolean {
  const corners = [
    { x: box.x, y: box.y },
    { x: box.x + box.width, y: box.y },
    { x: box.x + box.width, y: box.y + box.height },
    { x: box.x, y: box.y + box.height },
  ];
  if (corners.some((c) => contains(polygon, c))) return true;
  const inBox = (p: Point) =>
    p.x >= box.x && p.x <= box.x + box.width && p.y >= box.y && p.y <= box.y + box.height;
  if (polygon.some(inBox)) return true;
  for (let i = 0; i < polygon.length; i++) {
    const a = polygon[i];
    const b = polygon[(i + 1) % polygon.length];
    for (let k = 0; k < 4; k++) if (segmentsCross(a, b, corners[k], corners[(k + 1) % 4])) return true;
  }
  return false;
}

function segmentsCross(p1: Point, p2: Point, q1: Point, q2: Point): boolean {
  const d = (a: Point, b: Point, c: Point) => (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x);
  const d1 = d(q1, q2, p1);
  const d2 = d(q1, q2, p2);
  const d3 = d(p1, p2, q1);
  const d4 = d(p1, p2, q2);
  return d1 * d2 < 0 && d3 * d4 < 0;
}

const RANK: Record<Severity, number> = { low: 1, medium: 2, high: 3, critical: 4 };

/** Of the rules a detection passes, the one that speaks for it: the most severe, then the oldest. */
export function strongest(rules: readonly BehaviourRule[]): BehaviourRule | undefined {
  return [...rules].sort(
    (a, b) =>
      RANK[b.severity] - RANK[a.severity] ||
      a.createdAt.getTime() - b.createdAt.getTime() ||
      a.id.localeCompare(b.id),
  )[0];
}
