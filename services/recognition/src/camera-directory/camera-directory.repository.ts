import { Injectable } from '@nestjs/common';
import type { Camera } from '@safecity/contracts';
import { RegionAccess, RegionScope } from '@safecity/security';
import type { EntityManager } from 'typeorm';

export interface DirectoryCamera {
  id: string;
  regionCode: string;
  districtCode: string | null;
  videoSystemId: string;
  externalId: string;
  name: string;
  lat: number;
  lon: number;
  capabilities: number[];
  privacyMasks: Camera['privacyMasks'];
  tags: string[];
  lifecycle: number;
  status: number;
  version: number;
  updatedAt: Date | null;
  changesApplied: number;
}

const COLUMNS = `id, region_code AS "regionCode", district_code AS "districtCode", video_system_id AS "videoSystemId",
  external_id AS "externalId", name, lat, lon, capabilities, privacy_masks AS "privacyMasks", tags, lifecycle,
  status, version::int AS version, updated_at AS "updatedAt", changes_applied AS "changesApplied"`;

/**
 * Recognition's local copy of the cameras it resolves detections against, fed by
 * `safecity.cameras.v1`. A copy only moves forward: an older version never overwrites a newer one.
 */
@Injectable()
export class CameraDirectoryRepository {
  /** Its statements run in the unit of work: the caller's (the consumer's inbox) or one of their own. */
  constructor(private readonly access: RegionAccess) {}

  /** The directory is written by this service alone, on behalf of every region. */
  async upsert(camera: Camera): Promise<boolean> {
    return this.access.run(RegionScope.allRegions(), (m) => this.upsertIn(m, camera));
  }

  private async upsertIn(manager: EntityManager, camera: Camera): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `INSERT INTO camera_directory (id, region_code, district_code, video_system_id, external_id, name, lat, lon,
         capabilities, privacy_masks, tags, lifecycle, status, version, updated_at)
       VALUES ($1, $2, NULLIF($3, ''), $4, $5, $6, $7, $8, $9, $10::jsonb, $11, $12, $13, $14, $15)
       ON CONFLICT (id) DO UPDATE SET
         region_code = EXCLUDED.region_code, district_code = EXCLUDED.district_code,
         video_system_id = EXCLUDED.video_system_id, external_id = EXCLUDED.external_id, name = EXCLUDED.name,
         lat = EXCLUDED.lat, lon = EXCLUDED.lon, capabilities = EXCLUDED.capabilities,
         privacy_masks = EXCLUDED.privacy_masks, tags = EXCLUDED.tags, lifecycle = EXCLUDED.lifecycle,
         status = EXCLUDED.status, version = EXCLUDED.version, updated_at = EXCLUDED.updated_at
       WHERE camera_directory.version < EXCLUDED.version
       RETURNING 1`,
      [
        camera.id,
        camera.regionCode,
        camera.districtCode ?? '',
        camera.videoSystemId,
        camera.externalId,
        camera.name,
        camera.location?.lat ?? 0,
        camera.location?.lon ?? 0,
        camera.capabilities ?? [],
        JSON.stringify(camera.privacyMasks ?? []),
        camera.tags ?? [],
        camera.lifecycle,
        camera.status,
        camera.version,
        camera.updatedAt ?? null,
      ],
    );
    return rows.length > 0;
  }

  /** Counts a change event as applied to this copy (whether or not it was the newest). */
  async countChange(cameraId: string): Promise<void> {
    await this.access.run(RegionScope.allRegions(), (m) =>
      m.query('UPDATE camera_directory SET changes_applied = changes_applied + 1 WHERE id = $1', [cameraId]),
    );
  }

  /** The camera if it is in the scope's regions (query filter, and row-level security beneath it). */
  async findById(id: string, scope: RegionScope): Promise<DirectoryCamera | null> {
    const rows: DirectoryCamera[] = await this.access.run(scope, (m) =>
      m.query(
        `SELECT ${COLUMNS} FROM camera_directory
         WHERE id = $1 AND ($2::text[] IS NULL OR region_code = ANY($2::text[]))`,
        [id, scope.all ? null : [...scope.regions]],
      ),
    );
    return rows[0] ?? null;
  }

  async findByExternalId(
    videoSystemId: string,
    externalId: string,
    scope: RegionScope,
  ): Promise<DirectoryCamera | null> {
    const rows: DirectoryCamera[] = await this.access.run(scope, (m) =>
      m.query(
        `SELECT ${COLUMNS} FROM camera_directory WHERE video_system_id = $1 AND external_id = $2
           AND ($3::text[] IS NULL OR region_code = ANY($3::text[]))`,
        [videoSystemId, externalId, scope.all ? null : [...scope.regions]],
      ),
    );
    return rows[0] ?? null;
  }
}
