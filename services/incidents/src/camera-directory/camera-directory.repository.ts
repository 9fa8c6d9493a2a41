import { Injectable } from '@nestjs/common';
import type { Camera } from '@safecity/contracts';
import type { EntityManager } from 'typeorm';

export interface PlaceOfCamera {
  id: string;
  regionCode: string;
  districtCode: string | null;
  address: string;
  lat: number;
  lon: number;
  tags: string[];
}

/**
 * Incidents' local copy of the cameras, fed by `safecity.cameras.v1`: where a camera is and what
 * kind of place it watches (tags such as school or transport hub), for location and priority.
 * A copy only moves forward: an older version never overwrites a newer one.
 */
@Injectable()
export class CameraDirectoryRepository {
  async upsert(m: EntityManager, camera: Camera): Promise<boolean> {
    const rows: unknown[] = await m.query(
      `INSERT INTO camera_directory (id, region_code, district_code, name, address, lat, lon, tags, status, version)
       VALUES ($1, $2, NULLIF($3, ''), $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (id) DO UPDATE SET region_code = EXCLUDED.region_code, district_code = EXCLUDED.district_code,
         name = EXCLUDED.name, address = EXCLUDED.address, lat = EXCLUDED.lat, lon = EXCLUDED.lon,
         tags = EXCLUDED.tags, status = EXCLUDED.status, version = EXCLUDED.version
       WHERE camera_directory.version < EXCLUDED.version
       RETURNING 1`,
      [
        camera.id,
        camera.regionCode,
        camera.districtCode ?? '',
        camera.name,
        camera.address ?? '',
        camera.location?.lat ?? 0,
        camera.location?.lon ?? 0,
        camera.tags ?? [],
        camera.status,
        camera.version,
      ],
    );
    return rows.length > 0;
  }
}
