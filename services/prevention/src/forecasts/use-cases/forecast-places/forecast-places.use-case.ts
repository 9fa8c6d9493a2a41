import { Injectable } from '@nestjs/common';
import { RegionAccess, UseCase, UseCaseHandler } from '@safecity/security';
import { scopeIncluding } from '../../../domain/region-of-caller';
import { PREVENTION_POLICIES as P } from '../../../prevention.policies';
import { cellPolygon, DEFAULT_CELL_DEG } from '../../grid';
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
} from '../../model';
import { PlaceHistoryRepository } from '../../place-history.repository';
import type { ForecastPlaces } from './forecast-places.command';

export type ForecastRisk = 'low' | 'medium' | 'high';

export interface ForecastPlace {
  placeId: string;
  expectedIncidents: number;
  expectedIncidentsP90: number;
  riskLevel: ForecastRisk;
}

type ForecastUnit = 'grid' | 'district';

/** A region's forecast as GeoJSON: one feature per place, drawn when it is a grid cell. */
export interface PlaceForecast {
  type: 'FeatureCollection';
  forecast: {
    regionCode: string;
    unit: ForecastUnit;
    modelVersion: string;
    model: ModelSettings & { description: string };
    cellSizeDeg: number | null;
    categories: number[];
    windowStart: string;
    windowEnd: string;
    historyFrom: string;
    historyTo: string;
    generatedAt: string;
  };
  features: {
    type: 'Feature';
    id: string;
    geometry: ReturnType<typeof cellPolygon> | null;
    properties: ForecastPlace & { unit: ForecastUnit };
  }[];
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

/**
 * Where and when incidents are expected in a region: a seasonal baseline per place from the
 * region's incident history, as a GeoJSON feature collection of places and hours, never people.
 */
@Injectable()
export class ForecastPlacesUseCase extends UseCaseHandler<ForecastPlaces, PlaceForecast> {
  constructor(
    private readonly access: RegionAccess,
    private readonly history: PlaceHistoryRepository,
  ) {
    super();
  }

  @UseCase(P.readForecasts)
  async execute({ actor, query }: ForecastPlaces): Promise<PlaceForecast> {
    const scope = scopeIncluding(actor, query.regionCode);
    const unit = query.unit ?? 'grid';
    const from = query.from ? new Date(query.from) : new Date(Math.floor(Date.now() / HOUR_MS) * HOUR_MS);
    const to = new Date(from.getTime() + (query.hours ?? 24) * HOUR_MS);
    const offset = DEFAULT_MODEL.utcOffsetHours;
    const week = weekOf(from, offset);
    // Whole weeks before the window's week: the forecast of a week never sees that week.
    const historyFrom = weekStart(week - DEFAULT_MODEL.lookbackWeeks, offset);
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
      const baseline = seasonalBaseline(cube, placeId, week, DEFAULT_MODEL);
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
          ...DEFAULT_MODEL,
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
}
