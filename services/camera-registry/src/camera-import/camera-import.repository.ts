import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CameraEntity, type CameraLifecycleName, type PrivacyMaskValue } from '../cameras/camera.entity';

/** The integrator-settable state of one camera, as it is to be after the import. */
export interface ImportedCameraValues {
  externalId: string;
  districtCode: string | null;
  name: string;
  lat: number;
  lon: number;
  address: string | null;
  directionDeg: number | null;
  fieldOfViewDeg: number | null;
  mountType: string | null;
  capabilities: string[];
  privacyMasks: PrivacyMaskValue[];
  tags: string[];
  lifecycle: CameraLifecycleName;
}

type CameraRow = Record<string, unknown>;

/**
 * Raw rows to entities the way TypeORM hydrates them (column names, transformers), so a column
 * added to the entity later reaches the events of imported cameras too.
 */
function hydrate(manager: EntityManager, rows: CameraRow[]): CameraEntity[] {
  const { driver } = manager.connection;
  const columns = manager.connection.getMetadata(CameraEntity).columns;
  return rows.map((row) => {
    const camera = new CameraEntity();
    for (const column of columns) {
      column.setEntityValue(camera, driver.prepareHydratedValue(row[column.databaseName], column));
    }
    return camera;
  });
}

// The order of the parameters of one row in the multi-row INSERT.
const COLUMNS = [
  'external_id',
  'district_code',
  'name',
  'lat',
  'lon',
  'address',
  'direction_deg',
  'field_of_view_deg',
  'mount_type',
  'capabilities',
  'privacy_masks',
  'tags',
  'lifecycle',
] as const;
const SETTABLE = COLUMNS.filter((c) => c !== 'external_id');

function rowParams(v: ImportedCameraValues): unknown[] {
  return [
    v.externalId,
    v.districtCode,
    v.name,
    v.lat,
    v.lon,
    v.address,
    v.directionDeg,
    v.fieldOfViewDeg,
    v.mountType,
    v.capabilities,
    JSON.stringify(v.privacyMasks),
    v.tags,
    v.lifecycle,
  ];
}

/**
 * Rows per INSERT: 13 parameters each stays far below PostgreSQL's 65,535 per statement. Between
 * 250 and 4,000 rows the import time hardly moved (docs/benchmarks-history.md); this keeps statements small.
 */
export const UPSERT_BATCH = 1_000;

/** The SQL of bulk import. */
@Injectable()
export class CameraImportRepository {
  /**
   * Serialises imports into one video system. Two overlapping imports could otherwise lock the same
   * cameras in different orders and deadlock; this way the second simply waits.
   */
  async lockVideoSystemImports(manager: EntityManager, videoSystemId: string): Promise<void> {
    await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`camera-import:${videoSystemId}`]);
  }

  /**
   * The existing cameras among `externalIds`, locked until the transaction ends, so what the import
   * keeps of them (fields the file does not set) cannot be changed underneath it.
   */
  async lockExisting(
    manager: EntityManager,
    system: { id: string; regionCode: string },
    externalIds: string[],
  ): Promise<Map<string, CameraEntity>> {
    // The region filter repeats what row-level security enforces, as every query of the service does.
    const rows: CameraRow[] = await manager.query(
      `SELECT * FROM cameras
        WHERE video_system_id = $1 AND region_code = $2 AND external_id = ANY($3::text[])
          FOR UPDATE`,
      [system.id, system.regionCode, externalIds],
    );
    return new Map(hydrate(manager, rows).map((camera) => [camera.externalId, camera]));
  }

  /**
   * Inserts new cameras and updates changed ones in one statement. A camera whose values are all
   * the same is left alone (no new version, no `updated_at`) and not returned; decommissioned
   * cameras are never touched. Returns the cameras written and whether each was created.
   */
  async upsert(
    manager: EntityManager,
    system: { id: string; regionCode: string },
    cameras: ImportedCameraValues[],
  ): Promise<{ camera: CameraEntity; created: boolean }[]> {
    if (cameras.length === 0) return [];
    const params: unknown[] = [system.regionCode, system.id];
    const tuples: string[] = [];
    for (const camera of cameras) {
      const base = params.length;
      tuples.push(`($1, $2, ${COLUMNS.map((_, i) => `$${base + i + 1}`).join(', ')})`);
      params.push(...rowParams(camera));
    }
    const rows: CameraRow[] = await manager.query(
      `INSERT INTO cameras AS c (region_code, video_system_id, ${COLUMNS.join(', ')})
       VALUES ${tuples.join(',\n')}
       ON CONFLICT (video_system_id, external_id) DO UPDATE SET
         ${SETTABLE.map((col) => `${col} = EXCLUDED.${col}`).join(', ')},
         version = c.version + 1,
         updated_at = now()
       WHERE c.lifecycle <> 'decommissioned'
         AND (${SETTABLE.map((col) => `c.${col}`).join(', ')})
             IS DISTINCT FROM (${SETTABLE.map((col) => `EXCLUDED.${col}`).join(', ')})
       RETURNING c.*, (c.xmax = 0) AS created`,
      params,
    );
    const written = hydrate(manager, rows);
    return rows.map((row, i) => ({ camera: written[i], created: row.created === true }));
  }
}
