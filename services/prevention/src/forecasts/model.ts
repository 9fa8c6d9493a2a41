/**
 * The place-based forecasting model: expected incidents per place (grid cell or district) and
 * hour of the week, from incident history alone. No person enters it: its only input is
 * {place, time}.
 *
 * Seasonal baseline weighted toward recent weeks: for target week T, place u and hour of week h,
 *
 *   expected(u, T, h) = Σ_{k=1..K} w_k · count(u, T−k, h) / Σ_{k=1..K} w_k,   w_k = decay^(k−1)
 *
 * summing only over weeks that lie inside the history. One place's count at one hour of the week
 * is sparse, so the baseline is smoothed across hours with the region's weekly rhythm:
 *
 *   level(u, T)  = Σ_k w_k · total(u, T−k) / Σ_k w_k                 (incidents per week at u)
 *   shape(T, h)  = Σ_k w_k · regionCount(T−k, h) / Σ_k w_k · regionTotal(T−k)   (share of hour h)
 *   forecast(u, T, h) = (1 − s) · expected(u, T, h) + s · level(u, T) · shape(T, h)
 *
 * with s = hourSmoothing (0: no smoothing). The naive baseline it is measured against is last
 * week's count at the same place and hour: count(u, T−1, h).
 */

export const HOUR_MS = 3_600_000;
export const WEEK_HOURS = 168;
/** 1970-01-01 was a Thursday: Monday 00:00 lies 72 hours earlier. */
const MONDAY_SHIFT_HOURS = 72;

export interface ModelSettings {
  /** Weeks of history in the baseline (K). */
  lookbackWeeks: number;
  /** Weight of each older week relative to the next newer one (0 < decay ≤ 1). */
  decay: number;
  /** Hours of local time ahead of UTC; weeks start on Monday 00:00 local time. Kazakhstan: 5. */
  utcOffsetHours: number;
  /** Share s of the forecast spread by the region's hour-of-week shape, 0..1. */
  hourSmoothing: number;
}

export const DEFAULT_MODEL: ModelSettings = {
  lookbackWeeks: 8,
  decay: 0.7,
  utcOffsetHours: 5,
  hourSmoothing: 0.5,
};
export const MODEL_VERSION = 'seasonal-baseline-v1';

/** One incident as the model sees it: a place and a time, nothing else. */
export interface PlaceEvent {
  place: string;
  at: Date;
}

function localHours(at: Date, offsetHours: number): number {
  return Math.floor(at.getTime() / HOUR_MS) + offsetHours + MONDAY_SHIFT_HOURS;
}

export function weekOf(at: Date, offsetHours: number): number {
  return Math.floor(localHours(at, offsetHours) / WEEK_HOURS);
}

export function hourOfWeek(at: Date, offsetHours: number): number {
  const h = localHours(at, offsetHours) % WEEK_HOURS;
  return h < 0 ? h + WEEK_HOURS : h;
}

/** UTC instant at which local week `week` starts. */
export function weekStart(week: number, offsetHours: number): Date {
  return new Date((week * WEEK_HOURS - MONDAY_SHIFT_HOURS - offsetHours) * HOUR_MS);
}

/** Incident counts by place, week and hour of week. */
export class CountCube {
  private readonly counts = new Map<string, Map<number, Float64Array>>();
  private readonly firstSeen = new Map<string, number>();
  private readonly region = new Map<number, Float64Array>();
  private readonly shapes = new Map<string, Float64Array>();
  firstWeek = Number.POSITIVE_INFINITY;
  lastWeek = Number.NEGATIVE_INFINITY;

  constructor(readonly offsetHours: number) {}

  static of(events: Iterable<PlaceEvent>, offsetHours: number): CountCube {
    const cube = new CountCube(offsetHours);
    for (const e of events) cube.add(e);
    return cube;
  }

  add(event: PlaceEvent): void {
    const week = weekOf(event.at, this.offsetHours);
    const hour = hourOfWeek(event.at, this.offsetHours);
    let weeks = this.counts.get(event.place);
    if (!weeks) this.counts.set(event.place, (weeks = new Map()));
    let hours = weeks.get(week);
    if (!hours) weeks.set(week, (hours = new Float64Array(WEEK_HOURS)));
    hours[hour] += 1;
    let all = this.region.get(week);
    if (!all) this.region.set(week, (all = new Float64Array(WEEK_HOURS)));
    all[hour] += 1;
    this.shapes.clear();
    this.firstSeen.set(event.place, Math.min(this.firstSeen.get(event.place) ?? week, week));
    this.firstWeek = Math.min(this.firstWeek, week);
    this.lastWeek = Math.max(this.lastWeek, week);
  }

  count(place: string, week: number, hour: number): number {
    return this.counts.get(place)?.get(week)?.[hour] ?? 0;
  }

  weekTotal(place: string, week: number): number {
    const hours = this.counts.get(place)?.get(week);
    return hours ? hours.reduce((a, b) => a + b, 0) : 0;
  }

  /** The region's share of incidents by hour of week over the weeks before `week`, weighted as the baseline. */
  shape(week: number, settings: Pick<ModelSettings, 'lookbackWeeks' | 'decay'>): Float64Array {
    const key = `${week}/${settings.lookbackWeeks}/${settings.decay}`;
    const cached = this.shapes.get(key);
    if (cached) return cached;
    const shape = new Float64Array(WEEK_HOURS);
    let total = 0;
    for (let k = 1; k <= settings.lookbackWeeks; k++) {
      const w = week - k;
      if (w < this.firstWeek) break;
      const weight = settings.decay ** (k - 1);
      const hours = this.region.get(w);
      if (!hours) continue;
      for (let h = 0; h < WEEK_HOURS; h++) {
        shape[h] += weight * hours[h];
        total += weight * hours[h];
      }
    }
    if (total > 0) for (let h = 0; h < WEEK_HOURS; h++) shape[h] /= total;
    this.shapes.set(key, shape);
    return shape;
  }

  places(): string[] {
    return [...this.counts.keys()].sort();
  }

  /** Places with an incident in some week before `week`: what a forecast for `week` can know. */
  placesKnownBefore(week: number): string[] {
    return this.places().filter((p) => (this.firstSeen.get(p) as number) < week);
  }
}

/** Expected incidents at `place` for each hour of target week `week` (weeks before the history count as absent). */
export function seasonalBaseline(
  cube: CountCube,
  place: string,
  week: number,
  settings: ModelSettings,
): Float64Array {
  const expected = new Float64Array(WEEK_HOURS);
  let weights = 0;
  for (let k = 1; k <= settings.lookbackWeeks; k++) {
    const w = week - k;
    if (w < cube.firstWeek) break;
    const weight = settings.decay ** (k - 1);
    weights += weight;
    for (let h = 0; h < WEEK_HOURS; h++) expected[h] += weight * cube.count(place, w, h);
  }
  if (weights === 0) return expected;
  let level = 0;
  for (let h = 0; h < WEEK_HOURS; h++) {
    expected[h] /= weights;
    level += expected[h];
  }
  const s = settings.hourSmoothing;
  if (s > 0) {
    const shape = cube.shape(week, settings);
    for (let h = 0; h < WEEK_HOURS; h++) expected[h] = (1 - s) * expected[h] + s * level * shape[h];
  }
  return expected;
}

/** The naive baseline: what happened at the same place and hour last week. */
export function lastWeek(cube: CountCube, place: string, week: number): Float64Array {
  const expected = new Float64Array(WEEK_HOURS);
  for (let h = 0; h < WEEK_HOURS; h++) expected[h] = cube.count(place, week - 1, h);
  return expected;
}

/** Smallest k with P(X ≤ k) ≥ q for X ~ Poisson(mean): the upper end of a q prediction interval. */
export function poissonQuantile(mean: number, q = 0.9): number {
  if (!(mean > 0)) return 0;
  let k = 0;
  let p = Math.exp(-mean);
  let cumulative = p;
  while (cumulative < q && k < 10_000) {
    k += 1;
    p *= mean / k;
    cumulative += p;
  }
  return k;
}
