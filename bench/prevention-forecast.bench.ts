/**
 * `npm run bench -- prevention-forecast [--seed 7] [--weeks 26] [--test-weeks 12]`
 *
 * The rolling backtest of prevention's place-based forecast (seasonal baseline by hour of week,
 * weighted toward recent weeks) beside the naive last-week baseline, in the same run, over a
 * SEEDED SYNTHETIC incident history: no real incident data is used. The figures go to
 * docs/prevention-forecast.md.
 */
import { performance } from 'node:perf_hooks';
import { backtest, type BacktestResult } from '../services/prevention/src/forecasts/backtest';
import { cellOf } from '../services/prevention/src/forecasts/grid';
import {
  DEFAULT_MODEL,
  HOUR_MS,
  weekStart,
  weekOf,
  type PlaceEvent,
} from '../services/prevention/src/forecasts/model';
import { option, seededRandom, table } from './infra';

/** Relative incident rate by hour of day: quiet mornings, busy evenings and nights. */
const HOUR_SHAPE = [
  0.9, 0.8, 0.6, 0.4, 0.3, 0.3, 0.4, 0.5, 0.7, 0.8, 0.9, 1.0, 1.0, 1.0, 1.0, 1.1, 1.2, 1.3, 1.5, 1.7, 1.9,
  2.0, 1.8, 1.3,
];
/** Relative rate by day, Monday first: Friday and Saturday nights carry more. */
const DAY_SHAPE = [0.9, 0.9, 0.9, 1.0, 1.2, 1.4, 1.1];

function poisson(mean: number, random: () => number): number {
  const limit = Math.exp(-mean);
  let k = 0;
  let p = random();
  while (p > limit && k < 1000) {
    k += 1;
    p *= random();
  }
  return k;
}

/**
 * A synthetic city: a 20 × 20 grid of 0.01° cells around central Almaty. Each cell has a base
 * rate from a heavy-tailed draw (a few hot cells, many quiet ones); a fifth of the cells drift
 * (a place heating up or cooling down over the weeks, as after a bar opens or lighting is fixed);
 * counts per cell and hour are Poisson around base × hour shape × day shape × drift.
 */
export function syntheticHistory(seed: number, weeks: number): PlaceEvent[] {
  const random = seededRandom(seed);
  const offset = DEFAULT_MODEL.utcOffsetHours;
  const firstWeek = weekOf(new Date('2026-01-05T00:00:00Z'), offset);
  const cells: { id: string; base: number; drift: number }[] = [];
  for (let row = 0; row < 20; row++) {
    for (let col = 0; col < 20; col++) {
      const id = cellOf(43.15 + row * 0.01 + 0.005, 76.8 + col * 0.01 + 0.005);
      // exp of a normal-ish draw: most cells near 0.002 incidents/hour, some ten times that.
      const z = (random() + random() + random() - 1.5) * 2;
      const base = 0.004 * Math.exp(1.2 * z);
      const drift = random() < 0.2 ? (random() < 0.5 ? 1 : -1) * (0.03 + 0.05 * random()) : 0;
      cells.push({ id, base, drift });
    }
  }
  const events: PlaceEvent[] = [];
  for (let w = 0; w < weeks; w++) {
    const start = weekStart(firstWeek + w, offset).getTime();
    for (const cell of cells) {
      const trend = Math.max(0.1, 1 + cell.drift * (w - weeks / 2));
      for (let h = 0; h < 168; h++) {
        const mean = cell.base * trend * HOUR_SHAPE[h % 24] * DAY_SHAPE[Math.floor(h / 24)];
        const n = poisson(mean, random);
        for (let i = 0; i < n; i++) {
          events.push({ place: cell.id, at: new Date(start + h * HOUR_MS + Math.floor(random() * HOUR_MS)) });
        }
      }
    }
  }
  return events;
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

export async function run(argv: string[]): Promise<void> {
  const seed = option(argv, 'seed', 7);
  const weeks = option(argv, 'weeks', 26);
  const testWeeks = option(argv, 'test-weeks', 12);
  const events = syntheticHistory(seed, weeks);
  process.stdout.write(
    `prevention-forecast: seeded synthetic history (seed ${seed}): ${events.length} incidents, 400 cells of 0.01°, ` +
      `${weeks} weeks; rolling backtest over the last ${testWeeks} weeks, each forecast from the weeks before it.\n` +
      `model: seasonal baseline by hour of week, K = ${DEFAULT_MODEL.lookbackWeeks} weeks, decay ${DEFAULT_MODEL.decay}; ` +
      `naive: same place and hour last week. Pooled over the test weeks.\n\n`,
  );
  const rows: Record<string, string | number>[] = [];
  const results: Record<string, BacktestResult> = {};
  for (const flagShare of [0.01, 0.05, 0.1]) {
    const started = performance.now();
    const result = backtest(events, { ...DEFAULT_MODEL, testWeeks, flagShare });
    const ms = performance.now() - started;
    results[String(flagShare)] = result;
    for (const [name, score] of [
      ['seasonal baseline (model)', result.model],
      ['last week (naive)', result.naive],
    ] as const) {
      rows.push({
        'flagged share': pct(flagShare),
        forecast: name,
        'area flagged': pct(score.areaShare),
        'hit rate': pct(score.hitRate),
        PAI: score.pai.toFixed(2),
        'backtest ms': Math.round(ms),
      });
    }
  }
  process.stdout.write(`${table(rows)}\n\n`);
  // How the weighting itself matters, at 5%: decay 1 is a plain mean of the last K weeks.
  const sensitivity: Record<string, string | number>[] = [];
  for (const decay of [0.5, 0.7, 0.85, 1]) {
    for (const lookbackWeeks of [4, 8]) {
      const r = backtest(events, { ...DEFAULT_MODEL, decay, lookbackWeeks, testWeeks, flagShare: 0.05 });
      sensitivity.push({
        K: lookbackWeeks,
        decay,
        'hit rate': pct(r.model.hitRate),
        PAI: r.model.pai.toFixed(2),
      });
    }
  }
  process.stdout.write(`model settings at 5% flagged:\n${table(sensitivity)}\n\n`);
  const perWeek = results['0.05'].weeks.map((w) => ({
    week: w.start.toISOString().slice(0, 10),
    incidents: w.incidents,
    'model hit rate': pct(w.model.hitRate),
    'model PAI': w.model.pai.toFixed(2),
    'naive hit rate': pct(w.naive.hitRate),
    'naive PAI': w.naive.pai.toFixed(2),
  }));
  process.stdout.write(`per test week at 5% flagged:\n${table(perWeek)}\n`);
}
