import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

export type SourceKind = 'plate' | 'face' | 'behaviour';

export interface FalsePositive {
  incidentId: string;
  sourceKind: SourceKind;
  sourceId: string;
  regionCode: string;
  cameraId: string;
  watchlistId: string | null;
  dismissedAt: Date;
}

export interface CountFilter {
  regions: readonly string[] | null;
  regionCode?: string;
  since?: Date;
  until?: Date;
}

export interface CameraCount {
  cameraId: string;
  regionCode: string;
  falsePositives: number;
  plate: number;
  face: number;
  behaviour: number;
}

export interface WatchlistCount {
  watchlistId: string;
  regionCode: string;
  kind: 'plate' | 'face';
  name: string;
  falsePositives: number;
}

const FILTER = `($1::text[] IS NULL OR f.region_code = ANY($1::text[])) AND ($2::text IS NULL OR f.region_code = $2)
  AND ($3::timestamptz IS NULL OR f.dismissed_at >= $3) AND ($4::timestamptz IS NULL OR f.dismissed_at < $4)`;

@Injectable()
export class FalsePositivesRepository {
  /** What incidents may name as a source: our matches and alerts, with their camera and lists. */
  async sources(m: EntityManager, ids: readonly string[]) {
    const matches: {
      id: string;
      kind: 'plate' | 'face';
      regionCode: string;
      cameraId: string;
      watchlistIds: string[];
    }[] = await m.query(
      `SELECT id, kind, region_code AS "regionCode", camera_id AS "cameraId", watchlist_ids AS "watchlistIds"
         FROM matches WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    const alerts: { id: string; regionCode: string; cameraId: string }[] = await m.query(
      `SELECT id, region_code AS "regionCode", camera_id AS "cameraId" FROM behaviour_alerts WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    return { matches, alerts };
  }

  async insert(m: EntityManager, rows: readonly FalsePositive[]): Promise<number> {
    if (rows.length === 0) return 0;
    const inserted: unknown[] = await m.query(
      `INSERT INTO false_positives (incident_id, source_kind, source_id, region_code, camera_id, watchlist_id, dismissed_at)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::text[], $5::uuid[], $6::uuid[], $7::timestamptz[])
       ON CONFLICT DO NOTHING RETURNING 1`,
      [
        rows.map((r) => r.incidentId),
        rows.map((r) => r.sourceKind),
        rows.map((r) => r.sourceId),
        rows.map((r) => r.regionCode),
        rows.map((r) => r.cameraId),
        rows.map((r) => r.watchlistId),
        rows.map((r) => r.dismissedAt),
      ],
    );
    return inserted.length;
  }

  /** Dismissed matches and alerts per camera: each source once, however many lists it named. */
  async byCamera(m: EntityManager, f: CountFilter): Promise<CameraCount[]> {
    return m.query(
      `SELECT camera_id AS "cameraId", region_code AS "regionCode",
              count(DISTINCT (incident_id, source_id))::int AS "falsePositives",
              count(DISTINCT (incident_id, source_id)) FILTER (WHERE source_kind = 'plate')::int AS plate,
              count(DISTINCT (incident_id, source_id)) FILTER (WHERE source_kind = 'face')::int AS face,
              count(DISTINCT (incident_id, source_id)) FILTER (WHERE source_kind = 'behaviour')::int AS behaviour
       FROM false_positives f WHERE ${FILTER}
       GROUP BY camera_id, region_code ORDER BY "falsePositives" DESC, camera_id LIMIT 1000`,
      [f.regions, f.regionCode ?? null, f.since ?? null, f.until ?? null],
    );
  }

  /** Dismissed matches per watchlist (lists since deleted still count, by id). */
  async byWatchlist(m: EntityManager, f: CountFilter): Promise<WatchlistCount[]> {
    return m.query(
      `SELECT f.watchlist_id AS "watchlistId", f.region_code AS "regionCode", w.kind, w.name,
              count(*)::int AS "falsePositives"
       FROM false_positives f LEFT JOIN watchlists w ON w.id = f.watchlist_id
       WHERE f.watchlist_id IS NOT NULL AND ${FILTER}
       GROUP BY f.watchlist_id, f.region_code, w.kind, w.name ORDER BY "falsePositives" DESC, f.watchlist_id LIMIT 1000`,
      [f.regions, f.regionCode ?? null, f.since ?? null, f.until ?? null],
    );
  }
}
