import { Injectable } from '@nestjs/common';
import { incidents } from '@safecity/contracts';
import type { EntityManager } from 'typeorm';
import { cellOf } from './grid';
import type { PlaceEvent } from './model';

export type PlaceUnit = 'grid' | 'district';

/**
 * The only door from stored incidents into the forecasting model: it reads place and time and
 * hands out {place, at}. Cases, subjects and incident ids never pass through it.
 */
@Injectable()
export class PlaceHistoryRepository {
  async placeEvents(
    m: EntityManager,
    query: {
      regionCode: string;
      from: Date;
      to: Date;
      unit: PlaceUnit;
      cellSizeDeg?: number;
      categories?: number[];
    },
  ): Promise<PlaceEvent[]> {
    const rows = (await m.query(
      `SELECT lat, lon, district_code AS "districtCode", occurred_at AS "occurredAt" FROM incidents
       WHERE region_code = $1 AND occurred_at >= $2 AND occurred_at < $3 AND state <> $4
         AND ($5::int[] IS NULL OR category = ANY($5::int[]))`,
      [
        query.regionCode,
        query.from,
        query.to,
        incidents.IncidentState.INCIDENT_STATE_DISMISSED,
        query.categories?.length ? query.categories : null,
      ],
    )) as { lat: number | null; lon: number | null; districtCode: string | null; occurredAt: Date }[];
    const events: PlaceEvent[] = [];
    for (const row of rows) {
      if (query.unit === 'district') events.push({ place: row.districtCode ?? '', at: row.occurredAt });
      else if (row.lat !== null && row.lon !== null) {
        events.push({ place: cellOf(row.lat, row.lon, query.cellSizeDeg), at: row.occurredAt });
      }
    }
    return events;
  }
}
