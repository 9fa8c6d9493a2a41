import { Injectable } from '@nestjs/common';
import { RegionScope, UseCase, type Principal } from '@safecity/security';
import { PREVENTION_POLICIES as P } from '../prevention.policies';
import { UnprocessableFieldException } from '@safecity/service-kit';
import { RegionAccess } from '../access/region-access';
import { backtest, type BacktestResult } from './backtest';
import type { BacktestQueryDto, ForecastQueryDto } from './forecast.dto';
import { cellPolygon, DEFAULT_CELL_DEG } from './grid';
import {
  DEFAULT_MODEL,
  HOUR_MS,
  hourOfWeek,
  MODEL_VERSION,
  poissonQuantile,
  seasonalBaseline,
  CountCube,
  weekOf,
  weekStart,
  type ModelSettings,
} from './model';
import { PlaceHistoryRepository } from './place-history.repository';

export type ForecastRisk = 'low' | 'medium' | 'high';

export interface ForecastPlace {
  placeId: string;
  expectedIncidents: number;
  expectedIncidentsP90: number;
  riskLevel: ForecastRisk;
}

/** Ranks by expected incidents: the top tenth high, the next fifth medium, the rest (and zeros) low. */
export function riskLevels(
  places: { placeId: string; expectedIncidents: number }[],
): Map<string, ForecastRisk> {
  const ranked = places
    .filter((p) => p.expectedIncidents > 0)
    .sort((a, b) => b.expectedIncidents - a.expectedIncidents);
  const levels = new Map<string, ForecastRisk>(places.map((p) => [p.placeId, 'low']));
  ranked.forEach((p, i) => {
    if (i < Math.ceil(places.length * 0.1)) levels.set(p.placeId, 'high');
    else if (i < Math.ceil(places.length * 0.3)) levels.set(p.placeId, 'medium');
  });
  return levels;
}

/** Place-based forecasts from the incident history of a region, served as GeoJSON. */
@Injectable()
export class ForecastsService {
  readonly settings: ModelSettings = DEFAULT_MODEL;

  constructor(
    private readonly access: RegionAccess,
    private readonly history: PlaceHistoryRepository,
  ) {}

  private scopeFor(actor: Principal, regionCode: string): RegionScope {
    const scope = RegionScope.of(actor);
    if (!scope.includes(regionCode)) {
      throw new UnprocessableFieldException('regionCode', `region ${regionCode} is outside your regions`);
    }
    return scope;
  }

  @UseCase(P.readForecasts)
  async forecast(query: ForecastQueryDto, actor: Principal) {
    const scope = this.scopeFor(actor, query.regionCode);
    const unit = query.unit ?? 'grid';
    const from = query.from ? new Date(query.from) : new Date(Math.floor(Date.now() / HOUR_MS) * HOUR_MS);
    const to = new Date(from.getTime() + (query.hours ?? 24) * HOUR_MS);
    const offset = this.settings.utcOffsetHours;
    const week = weekOf(from, offset);
    // Whole weeks before the window's week: the forecast of a week never sees that week.
    const historyFrom = weekStart(week - this.settings.lookbackWeeks, offset);
    const historyTo = weekStart(week, offset);
    const events = await this.access.run(scope, (m) =>
      this.history.placeEvents(m, {
        regionCode: query.regionCode,
        from: historyFrom,
        to: historyTo,
        unit,
        cellSizeDeg: query.cellSizeDeg ?? DEFAULT_CELL_DEG,
        categories: query.categories,
      }),
    );
    const cube = CountCube.of(events, offset);
    const places: Omit<ForecastPlace, 'riskLevel'>[] = cube.places().map((placeId) => {
      const baseline = seasonalBaseline(cube, placeId, week, this.settings);
      let expected = 0;
      for (let t = from.getTime(); t < to.getTime(); t += HOUR_MS)
        expected += baseline[hourOfWeek(new Date(t), offset)];
      return {
        placeId,
        expectedIncidents: Math.round(expected * 1e4) / 1e4,
        expectedIncidentsP90: poissonQuantile(expected),
      };
    });
    const levels = riskLevels(places);
    return {
      type: 'FeatureCollection' as const,
      forecast: {
        regionCode: query.regionCode,
        unit,
        modelVersion: MODEL_VERSION,
        model: {
          ...this.settings,
          description:
            'seasonal baseline by hour of week, weighted toward recent weeks, smoothed across hours with the region’s weekly rhythm',
        },
        cellSizeDeg: unit === 'grid' ? (query.cellSizeDeg ?? DEFAULT_CELL_DEG) : null,
        categories: query.categories ?? [],
        windowStart: from.toISOString(),
        windowEnd: to.toISOString(),
        historyFrom: historyFrom.toISOString(),
        historyTo: historyTo.toISOString(),
        generatedAt: new Date().toISOString(),
      },
      features: places
        .sort((a, b) => b.expectedIncidents - a.expectedIncidents || a.placeId.localeCompare(b.placeId))
        .map((p) => ({
          type: 'Feature' as const,
          id: p.placeId,
          // Districts are named, not drawn: their outlines belong to camera-registry.
          geometry: unit === 'grid' ? cellPolygon(p.placeId) : null,
          properties: {
            placeId: p.placeId,
            unit,
            expectedIncidents: p.expectedIncidents,
            expectedIncidentsP90: p.expectedIncidentsP90,
            riskLevel: levels.get(p.placeId) as ForecastRisk,
          },
        })),
    };
  }

  /** The rolling backtest over the region's own history, beside the naive last-week baseline. */
  @UseCase(P.readForecasts)
  async backtest(
    query: BacktestQueryDto,
    actor: Principal,
  ): Promise<BacktestResult & { settings: ModelSettings & { testWeeks: number; flagShare: number } }> {
    const scope = this.scopeFor(actor, query.regionCode);
    const weeks = query.weeks ?? 8;
    const offset = this.settings.utcOffsetHours;
    const current = weekOf(query.asOf ? new Date(query.asOf) : new Date(), offset);
    const events = await this.access.run(scope, (m) =>
      this.history.placeEvents(m, {
        regionCode: query.regionCode,
        from: weekStart(current - weeks - this.settings.lookbackWeeks, offset),
        // Only finished weeks are scored.
        to: weekStart(current, offset),
        unit: query.unit ?? 'grid',
        cellSizeDeg: query.cellSizeDeg ?? DEFAULT_CELL_DEG,
      }),
    );
    const options = { ...this.settings, testWeeks: weeks, flagShare: query.flagShare ?? 0.05 };
    return { ...backtest(events, options), settings: options };
  }
}
