import { Injectable } from '@nestjs/common';
import type { RegionScope } from '@safecity/security';
import type { EntityManager } from 'typeorm';
import type { BoundingBox } from '../regions/regions.repository';
import { RegionAccess } from '@safecity/security';

export interface OperationsCenter {
  id: string;
  name: string;
  regionCode: string;
  districtCode: string | null;
  coverage: BoundingBox;
}

const COLUMNS = `id, name, region_code AS "regionCode", district_code AS "districtCode",
  json_build_object('minLon', min_lon, 'minLat', min_lat, 'maxLon', max_lon, 'maxLat', max_lat) AS coverage`;

/** Operations centers and the area each covers, in the transaction a use case hands over. */
@Injectable()
export class OperationsCentersRepository {
  constructor(private readonly access: RegionAccess) {}

  async insert(manager: EntityManager, center: Omit<OperationsCenter, 'id'>): Promise<OperationsCenter> {
    const { coverage } = center;
    const [row] = await manager.query(
      `INSERT INTO operations_centers (name, region_code, district_code, min_lon, min_lat, max_lon, max_lat)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
      [
        center.name,
        center.regionCode,
        center.districtCode,
        coverage.minLon,
        coverage.minLat,
        coverage.maxLon,
        coverage.maxLat,
      ],
    );
    return row;
  }

  async find(manager: EntityManager, scope: RegionScope, id: string): Promise<OperationsCenter | null> {
    const [row] = await manager.query(
      `SELECT ${COLUMNS} FROM operations_centers WHERE id = $1 AND ${this.regionClause(scope, 2)}`,
      [id, ...this.regionParams(scope)],
    );
    return row ?? null;
  }

  list(manager: EntityManager, scope: RegionScope, regionCode?: string): Promise<OperationsCenter[]> {
    return manager.query(
      `SELECT ${COLUMNS} FROM operations_centers
       WHERE ($1::text IS NULL OR region_code = $1) AND ${this.regionClause(scope, 2)} ORDER BY name LIMIT 500`,
      [regionCode ?? null, ...this.regionParams(scope)],
    );
  }

  /** Centers whose area holds the point, the most specific (smallest area) first. */
  covering(
    manager: EntityManager,
    scope: RegionScope,
    lat: number,
    lon: number,
  ): Promise<OperationsCenter[]> {
    return manager.query(
      `SELECT ${COLUMNS} FROM operations_centers
       WHERE box(point(min_lon, min_lat), point(max_lon, max_lat)) @> point($1, $2) AND ${this.regionClause(scope, 3)}
       ORDER BY (max_lon - min_lon) * (max_lat - min_lat), name`,
      [lon, lat, ...this.regionParams(scope)],
    );
  }

  /** The query's own region filter (row-level security is the second wall). */
  private regionClause(scope: RegionScope, parameter: number): string {
    return this.access.filtering && !scope.all ? `region_code = ANY($${parameter}::text[])` : 'TRUE';
  }

  private regionParams(scope: RegionScope): unknown[] {
    return this.access.filtering && !scope.all ? [[...scope.regions]] : [];
  }
}
