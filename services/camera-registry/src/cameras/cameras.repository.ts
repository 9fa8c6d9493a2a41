import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { CAMERA_REGISTRY_SCHEMA } from '../schema';
import { DataSource, type EntityManager } from 'typeorm';
import type { Pool } from 'pg';
import { CameraEntity } from './camera.entity';

const CAMERA_COLUMNS = `id, region_code AS "regionCode", district_code AS "districtCode",
  video_system_id AS "videoSystemId", external_id AS "externalId", name, lat, lon, address,
  direction_deg AS "directionDeg", field_of_view_deg AS "fieldOfViewDeg", mount_type AS "mountType",
  capabilities, privacy_masks AS "privacyMasks", tags, lifecycle, status, version::float8 AS version,
  created_at AS "createdAt", updated_at AS "updatedAt"`;

/** The SQL of cameras. */
@Injectable()
export class CamerasRepository {
  constructor(@InjectDataSource(CAMERA_REGISTRY_SCHEMA) private readonly dataSource: DataSource) {}

  private repo(manager?: EntityManager) {
    return (manager ?? this.dataSource.manager).getRepository(CameraEntity);
  }

  findById(id: string, manager?: EntityManager) {
    return this.repo(manager).findOneBy({ id });
  }

  findByIds(ids: string[]) {
    if (ids.length === 0) return Promise.resolve([]);
    return this.repo().createQueryBuilder('c').where('c.id = ANY(:ids::uuid[])', { ids }).getMany();
  }

  findByExternalId(videoSystemId: string, externalId: string) {
    return this.repo().findOneBy({ videoSystemId, externalId });
  }

  /**
   * The hot path of detection ingestion: a named prepared statement straight on the driver's
   * pool, skipping the query builder, whose overhead is larger than the query itself here.
   */
  async resolveExternal(videoSystemId: string, externalId: string): Promise<CameraEntity | null> {
    const pool = (this.dataSource.driver as unknown as { master: Pool }).master;
    const { rows } = await pool.query({
      name: 'camera-registry.resolve-external',
      text: `SELECT ${CAMERA_COLUMNS} FROM cameras WHERE video_system_id = $1 AND external_id = $2`,
      values: [videoSystemId, externalId],
    });
    return rows[0] ? this.repo().create(rows[0] as Partial<CameraEntity>) : null;
  }

  /** Locks the row for an update so concurrent changes get consecutive versions. */
  lockById(id: string, manager: EntityManager) {
    return this.repo(manager)
      .createQueryBuilder('c')
      .setLock('pessimistic_write')
      .where('c.id = :id', { id })
      .getOne();
  }

  save(camera: CameraEntity, manager: EntityManager) {
    return this.repo(manager).save(camera);
  }

  create(fields: Partial<CameraEntity>, manager?: EntityManager) {
    return this.repo(manager).create(fields);
  }

  /** Keyset page ordered by id, every filter applied in SQL (and served by an index). */
  search(filter: CameraSearch, limit: number) {
    const q = this.repo().createQueryBuilder('c').orderBy('c.id', 'ASC').limit(limit);
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
        `6371008.8 * 2 * asin(sqrt(power(sin(radians(c.lat - :cLat) / 2), 2)
           + cos(radians(:cLat)) * cos(radians(c.lat)) * power(sin(radians(c.lon - :cLon) / 2), 2))) <= :metres`,
        { cLat: lat, cLon: lon, metres },
      );
    }
    if (filter.capabilities?.length)
      q.andWhere('c.capabilities @> :caps::text[]', { caps: filter.capabilities });
    if (filter.tags?.length) q.andWhere('c.tags @> :tags::text[]', { tags: filter.tags });
    if (filter.status) q.andWhere('c.status = :status', { status: filter.status });
    if (filter.lifecycle) q.andWhere('c.lifecycle = :lifecycle', { lifecycle: filter.lifecycle });
    if (filter.text) {
      q.andWhere(`(c.name || ' ' || coalesce(c.address, '') || ' ' || c.external_id) ILIKE :text`, {
        text: `%${filter.text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`,
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
