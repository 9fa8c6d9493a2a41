import {
  CountCube,
  HOUR_MS,
  hourOfWeek,
  seasonalBaseline,
  weekOf,
  type ModelSettings,
  type PlaceEvent,
} from './model';

/**
 * Incidents the model expects per place over [from, to), hour by hour: each hour from the
 * baseline of its own week, built from the weeks before it (as a forecast issued at the start of
 * every week would have said). `history` must reach back `lookbackWeeks` whole weeks before `from`.
 */
export function expectedOverPeriod(
  history: Iterable<PlaceEvent>,
  from: Date,
  to: Date,
  settings: ModelSettings,
): Map<string, number> {
  const cube = CountCube.of(history, settings.utcOffsetHours);
  const totals = new Map<string, number>();
  const baselines = new Map<string, Float64Array>();
  const start = Math.ceil(from.getTime() / HOUR_MS) * HOUR_MS;
  for (let t = start; t < to.getTime(); t += HOUR_MS) {
    const at = new Date(t);
    const week = weekOf(at, settings.utcOffsetHours);
    const hour = hourOfWeek(at, settings.utcOffsetHours);
    for (const place of cube.placesKnownBefore(week)) {
      const key = `${place}@${week}`;
      let baseline = baselines.get(key);
      if (!baseline) baselines.set(key, (baseline = seasonalBaseline(cube, place, week, settings)));
      totals.set(place, (totals.get(place) ?? 0) + baseline[hour]);
    }
  }
  return totals;
}
