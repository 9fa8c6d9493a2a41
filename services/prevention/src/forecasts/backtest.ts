import {
  CountCube,
  lastWeek,
  seasonalBaseline,
  WEEK_HOURS,
  weekStart,
  type ModelSettings,
  type PlaceEvent,
} from './model';

export interface BacktestOptions extends ModelSettings {
  /** The last this many weeks of the history are forecast one at a time, each from the weeks before it. */
  testWeeks: number;
  /** Share of (place, hour) pairs flagged as hotspots in each test week, e.g. 0.05. */
  flagShare: number;
}

export interface Score {
  /** Incidents that fell in flagged (place, hour) pairs. */
  hits: number;
  /** Flagged (place, hour) pairs. */
  flagged: number;
  /** hits / incidents of the week. */
  hitRate: number;
  /** flagged / all (place, hour) pairs known before the week. */
  areaShare: number;
  /** Predictive Accuracy Index: hitRate / areaShare. */
  pai: number;
}

export interface BacktestWeek {
  week: number;
  start: Date;
  incidents: number;
  pairs: number;
  model: Score;
  naive: Score;
}

export interface BacktestResult {
  weeks: BacktestWeek[];
  /** Pooled over the test weeks: Σ hits / Σ incidents, and Σ flagged / Σ pairs. */
  model: Score;
  naive: Score;
}

/**
 * The top `share` of (place, hour) pairs by score, ties broken by place then hour; pairs scoring
 * zero are never flagged (so a sparse naive forecast may flag fewer).
 */
export function flagTop(scores: Map<string, Float64Array>, share: number): Set<string> {
  const pairs: { place: string; hour: number; score: number }[] = [];
  for (const [place, hours] of scores) {
    for (let h = 0; h < WEEK_HOURS; h++) if (hours[h] > 0) pairs.push({ place, hour: h, score: hours[h] });
  }
  pairs.sort(
    (a, b) => b.score - a.score || (a.place < b.place ? -1 : a.place > b.place ? 1 : a.hour - b.hour),
  );
  const n = Math.ceil(share * scores.size * WEEK_HOURS);
  return new Set(pairs.slice(0, n).map((p) => `${p.place}#${p.hour}`));
}

function score(cube: CountCube, week: number, flagged: Set<string>, incidents: number, pairs: number): Score {
  let hits = 0;
  for (const key of flagged) {
    const [place, hour] = key.split('#');
    hits += cube.count(place, week, Number(hour));
  }
  const hitRate = incidents > 0 ? hits / incidents : 0;
  const areaShare = pairs > 0 ? flagged.size / pairs : 0;
  return { hits, flagged: flagged.size, hitRate, areaShare, pai: areaShare > 0 ? hitRate / areaShare : 0 };
}

function pooled(weeks: BacktestWeek[], pick: (w: BacktestWeek) => Score): Score {
  const hits = weeks.reduce((s, w) => s + pick(w).hits, 0);
  const flagged = weeks.reduce((s, w) => s + pick(w).flagged, 0);
  const incidents = weeks.reduce((s, w) => s + w.incidents, 0);
  const pairs = weeks.reduce((s, w) => s + w.pairs, 0);
  const hitRate = incidents > 0 ? hits / incidents : 0;
  const areaShare = pairs > 0 ? flagged / pairs : 0;
  return { hits, flagged, hitRate, areaShare, pai: areaShare > 0 ? hitRate / areaShare : 0 };
}

/**
 * Rolling-origin backtest: each of the last `testWeeks` weeks is forecast from the weeks before
 * it only, by the seasonal baseline and by the naive last-week baseline in the same run, and both
 * are scored on the same flagged share of (place, hour) pairs.
 */
export function backtest(events: Iterable<PlaceEvent>, options: BacktestOptions): BacktestResult {
  const cube = CountCube.of(events, options.utcOffsetHours);
  const weeks: BacktestWeek[] = [];
  const first = Math.max(cube.firstWeek + 1, cube.lastWeek - options.testWeeks + 1);
  for (let week = first; week <= cube.lastWeek; week++) {
    const known = cube.placesKnownBefore(week);
    const modelScores = new Map(known.map((p) => [p, seasonalBaseline(cube, p, week, options)]));
    const naiveScores = new Map(known.map((p) => [p, lastWeek(cube, p, week)]));
    const incidents = cube.places().reduce((s, p) => s + cube.weekTotal(p, week), 0);
    const pairs = known.length * WEEK_HOURS;
    weeks.push({
      week,
      start: weekStart(week, options.utcOffsetHours),
      incidents,
      pairs,
      model: score(cube, week, flagTop(modelScores, options.flagShare), incidents, pairs),
      naive: score(cube, week, flagTop(naiveScores, options.flagShare), incidents, pairs),
    });
  }
  return { weeks, model: pooled(weeks, (w) => w.model), naive: pooled(weeks, (w) => w.naive) };
}
