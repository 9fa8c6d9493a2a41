import type { CameraStatusName } from '../cameras/camera.entity';

/**
 * Days of the uptime report are calendar days in Almaty time. Kazakhstan has used one time zone,
 * UTC+05:00 without daylight saving, since 1 March 2024; a fixed offset keeps a day 86,400 s.
 */
export const UPTIME_TIME_ZONE = 'Asia/Almaty (UTC+05:00)';
const OFFSET_MS = 5 * 3_600_000;
const DAY_MS = 86_400_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Milliseconds since the epoch of 00:00 Almaty time on `date` (YYYY-MM-DD), or null if no such day. */
export function almatyDayStart(date: string): number | null {
  const m = DATE.exec(date);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const utc = Date.UTC(y, mo - 1, d);
  const check = new Date(utc);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return null;
  return utc - OFFSET_MS;
}

/** The Almaty calendar day (YYYY-MM-DD) of an instant. */
export function almatyDate(at: Date): string {
  return new Date(at.getTime() + OFFSET_MS).toISOString().slice(0, 10);
}

export interface DayUptime {
  date: string;
  onlineSeconds: number;
  offlineSeconds: number;
  unknownSeconds: number;
  /** Online share of the time the status was known, to four decimals; null if never known. */
  uptimeRatio: number | null;
}

/**
 * Splits a camera's observed-status timeline into days. `initial` is the status at the start of
 * the first day; `transitions` are ordered changes after it. Time after `now` is not counted, so
 * today is partial and future days are empty.
 */
export function dailyUptime(p: {
  fromDate: string;
  days: number;
  initial: CameraStatusName;
  transitions: { at: Date; status: CameraStatusName }[];
  now: Date;
}): DayUptime[] {
  const first = almatyDayStart(p.fromDate);
  if (first === null) throw new RangeError(`invalid date ${p.fromDate}`);
  const now = p.now.getTime();
  const result: DayUptime[] = [];
  let status = p.initial;
  let next = 0;
  for (let i = 0; i < p.days; i++) {
    const dayStart = first + i * DAY_MS;
    const dayEnd = Math.min(dayStart + DAY_MS, Math.max(now, dayStart));
    const ms: Record<CameraStatusName, number> = { online: 0, offline: 0, unknown: 0 };
    let cursor = dayStart;
    while (next < p.transitions.length && p.transitions[next].at.getTime() < dayEnd) {
      const t = p.transitions[next];
      const at = Math.max(t.at.getTime(), cursor);
      ms[status] += at - cursor;
      cursor = at;
      status = t.status;
      next++;
    }
    ms[status] += dayEnd - cursor;
    // Rounded per status, with unknown taking the remainder, so a day always sums to its length.
    const total = Math.round((dayEnd - dayStart) / 1000);
    const onlineSeconds = Math.round(ms.online / 1000);
    const offlineSeconds = Math.round(ms.offline / 1000);
    const known = onlineSeconds + offlineSeconds;
    result.push({
      date: almatyDate(new Date(dayStart)),
      onlineSeconds,
      offlineSeconds,
      unknownSeconds: Math.max(0, total - known),
      uptimeRatio: known > 0 ? Math.round((onlineSeconds / known) * 10_000) / 10_000 : null,
    });
  }
  return result;
}
