import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AnalyticsFeatureName } from './camera-media-source.dto';

export interface AnalyticsZone {
  name: string;
  polygon: { x: number; y: number }[];
  loiterSeconds: number;
  intrusion: boolean;
  crowdThreshold: number;
  countVehicles: boolean;
}

export interface CameraMediaSourceRow {
  cameraId: string;
  regionCode: string;
  rtspUrl: string | null;
  onvifMediaUrl: string | null;
  onvifProfileToken: string | null;
  snapshotUrl: string | null;
  sealedCredentials: Buffer | null;
  frameRate: number;
  features: AnalyticsFeatureName[];
  zones: AnalyticsZone[];
  version: number;
  removed: boolean;
  updatedAt: Date;
}

const COLUMNS = `camera_id AS "cameraId", region_code AS "regionCode", rtsp_url AS "rtspUrl",
  onvif_media_url AS "onvifMediaUrl", onvif_profile_token AS "onvifProfileToken",
  snapshot_url AS "snapshotUrl", sealed_credentials AS "sealedCredentials",
  frame_rate AS "frameRate", features, zones, version::int AS version, removed, updated_at AS "updatedAt"`;

/** The media sources table; region scope comes from the transaction (row-level security) and the queries. */
@Injectable()
export class CameraMediaRepository {
  async lock(
    m: EntityManager,
    cameraId: string,
    regions: string[] | null,
  ): Promise<CameraMediaSourceRow | null> {
    const rows: CameraMediaSourceRow[] = await m.query(
      `SELECT ${COLUMNS} FROM camera_registry.camera_media_sources
        WHERE camera_id = $1 AND ($2::text[] IS NULL OR region_code = ANY($2::text[])) FOR UPDATE`,
      [cameraId, regions],
    );
    return rows[0] ?? null;
  }

  async find(
    m: EntityManager,
    cameraId: string,
    regions: string[] | null,
  ): Promise<CameraMediaSourceRow | null> {
    const rows: CameraMediaSourceRow[] = await m.query(
      `SELECT ${COLUMNS} FROM camera_registry.camera_media_sources
        WHERE camera_id = $1 AND NOT removed AND ($2::text[] IS NULL OR region_code = ANY($2::text[]))`,
      [cameraId, regions],
    );
    return rows[0] ?? null;
  }

  async save(m: EntityManager, row: Omit<CameraMediaSourceRow, 'updatedAt'>): Promise<CameraMediaSourceRow> {
    const rows: CameraMediaSourceRow[] = await m.query(
      `INSERT INTO camera_registry.camera_media_sources
         (camera_id, region_code, rtsp_url, onvif_media_url, onvif_profile_token, snapshot_url,
          sealed_credentials, frame_rate, features, zones, version, removed, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, now())
       ON CONFLICT (camera_id) DO UPDATE SET
         region_code = EXCLUDED.region_code, rtsp_url = EXCLUDED.rtsp_url,
         onvif_media_url = EXCLUDED.onvif_media_url, onvif_profile_token = EXCLUDED.onvif_profile_token,
         snapshot_url = EXCLUDED.snapshot_url, sealed_credentials = EXCLUDED.sealed_credentials,
         frame_rate = EXCLUDED.frame_rate, features = EXCLUDED.features, zones = EXCLUDED.zones,
         version = EXCLUDED.version, removed = EXCLUDED.removed, updated_at = now()
       RETURNING ${COLUMNS}`,
      [
        row.cameraId,
        row.regionCode,
        row.rtspUrl,
        row.onvifMediaUrl,
        row.onvifProfileToken,
        row.snapshotUrl,
        row.sealedCredentials,
        row.frameRate,
        row.features,
        JSON.stringify(row.zones),
        row.version,
        row.removed,
      ],
    );
    return rows[0];
  }
}
