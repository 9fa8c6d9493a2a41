import { Injectable } from '@nestjs/common';
import type { RegionScope } from '@safecity/security';
import { distanceMetresSql } from '@safecity/service-kit';
import type { EntityManager } from 'typeorm';
import { CameraEntity } from './camera.entity';
import { RegionAccess } from '@safecity/security';

const CAMERA_COLUMNS = `id, region_code AS "regionCode", district_code AS "districtCode",
  video_system_id AS "videoSystemId", external_id AS "externalId", name, lat, lon, address,
  direction_deg AS "directionDeg", field_of_view_deg AS "fieldOfViewDeg", mount_type AS "mountType",
  capabilities, privacy_masks AS "privacyMasks", tags, lifecycle, status, version::float8 AS version,
  created_at AS "createdAt", updated_at AS "updatedAt"`;

/**
 * The SQL of cameras. Every method takes the transaction's manager (scoped by {@link RegionAccess}
 * for row-level security) and the caller's scope for the query's own region filter.
 */
@Injectable()
export class CamerasRepository {
  constructor(private readonly access: RegionAccess) {}

  private query(manager: EntityManager, scope: RegionScope) {
    return this.access.filter(manager.getRepository(CameraEntity).createQueryBuilder('c'), scope);
  }

  findById(manager: EntityManager, scope: RegionScope, id: string) {
    return this.query(manager, scope).andWhere('c.id = :id', { id }).getOne();
  }

  findByIds(manager: EntityManager, scope: RegionScope, ids: string[]) {
    if (ids.length === 0) return Promise.resolve([]);
    return this.query(manager, scope).andWhere('c.id = ANY(CAST(:ids AS uuid[]))', { ids }).getMany();
  }

  findByExternalId(manager: EntityManager, scope: RegionScope, videoSystemId: string, externalId: string) {
    return this.query(manager, scope)
      .andWhere('c.video_system_id = :videoSystemId AND c.external_id = :externalId', {
        videoSystemId,
        externalId,
      })
      .getOne();
  }

  /**
   * The hot path of detection ingestion: plain SQL, skipping the query builder, whose overhead
   * is larger than the query itself here.
   */
  async resolveExternal(
    manager: EntityManager,
    scope: RegionScope,
    videoSystemId: string,
    externalId: string,
  ): Promise<CameraEntity | null> {
    const regions = scope.all ? null : [...scope.regions];
    const rows = await manager.query(
      `SELECT ${CAMERA_COLUMNS} FROM cameras
       WHERE video_system_id = $1 AND external_id = $2 AND ($3::text[] IS NULL OR region_code = ANY($3::text[]))`,
      [videoSystemId, externalId, this.access.filtering ? regions : null],
    );
    return rows[0] ? manager.getRepository(CameraEntity).create(rows[0] as Partial<CameraEntity>) : null;
  }

  /** Locks the row for an update so concurrent changes get consecutive versions. */
  lockById(manager: EntityManager, scope: RegionScope, id: string) {
    return this.query(manager, scope).setLock('pessimistic_write').andWhere('c.id = :id', { id }).getOne();
  }

  save(manager: EntityManager, camera: CameraEntity) {
    return manager.getRepository(CameraEntity).save(camera);
  }

  create(manager: EntityManager, fields: Partial<CameraEntity>) {
    return manager.getRepository(CameraEntity).create(fields);
  }

  /** Keyset page ordered by id, every filter applied in SQL (and served by an index). */
  search(manager: EntityManager, scope: RegionScope, filter: CameraSearch, limit: number) {
    const q = this.query(manager, scope).orderBy('c.id', 'ASC').limit(limit);
    if (filter.regionCode) q.andWhere('c.region_code = :region', { region: filter.regionCode });
    if (filter.districtCode) q.andWhere('c.district_code = :district', { district: filter.districtCode });
    if (filter.bbox) {
      const [minLon, minLat, maxLon, maxLat] = filter.bbox;
      q.andWhere('point(c.lon, c.lat) <@ box(point(:minLon, :minLat), point(:maxLon, :maxLat))', {
        minLon,
        minLat,
        maxLon,
        maxLat,
      });
    }
    if (filter.radius) {
      const { lat, lon, metres } = filter.radius;
      // The box around the circle uses the point index; the haversine distance then trims it.
      const dLat = metres / 111_320;
      const dLon = metres / (111_320 * Math.max(Math.cos((lat * Math.PI) / 180), 0.01));
      q.andWhere('point(c.lon, c.lat) <@ box(point(:rMinLon, :rMinLat), point(:rMaxLon, :rMaxLat))', {
        rMinLon: lon - dLon,
        rMinLat: lat - dLat,
        rMaxLon: lon + dLon,
        rMaxLat: lat + dLat,
      });
      q.andWhere(
        `${distanceMetresSql({ lat: ':cLat', lon: ':cLon' }, { lat: 'c.lat', lon: 'c.lon' })} <= :metres`,
        { cLat: lat, cLon: lon, metres },
      );
    }
    if (filter.capabilities?.length)
      q.andWhere('c.capabilities @> CAST(:caps AS text[])', { caps: filter.capabilities });
    if (filter.tags?.length) q.andWhere('c.tags @> CAST(:tags AS text[])', { tags: filter.tags });
    if (filter.status) q.andWhere('c.status = :status', { status: filter.status });
    if (filter.lifecycle) q.andWhere('c.lifecycle = :lifecycle', { lifecycle: filter.lifecycle });
    if (filter.text) {
      q.andWhere(`(c.name || ' ' || coalesce(c.address, '') || ' ' || c.external_id) ILIKE :searchText`, {
        searchText: `%${filter.text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`,
      });
    }
    if (filter.afterId) q.andWhere('c.id > :after', { after: filter.afterId });
    return q.getMany();
  }
}

export interface CameraSearch {
  regionCode?: string;
  districtCode?: string;
  /** [minLon, minLat, maxLon, maxLat] */
  bbox?: number[];
  radius?: { lat: number; lon: number; metres: number };
  capabilities?: string[];
  tags?: string[];
  status?: string;
  lifecycle?: string;
  text?: string;
  afterId?: string;
}
