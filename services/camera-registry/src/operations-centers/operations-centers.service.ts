import { UseCase } from '@safecity/security';
import { CAMERA_REGISTRY_POLICIES as P } from '../camera-registry.policies';
import { Injectable, NotFoundException } from '@nestjs/common';
import type { RegionScope } from '@safecity/security';
import { UnprocessableFieldException } from '@safecity/service-kit';
import { RegionAccess } from '../access/region-access';
import { RegionsRepository, type BoundingBox } from '../regions/regions.repository';
import type { CreateOperationsCenterDto } from './operations-center.dto';

export interface OperationsCenter {
  id: string;
  name: string;
  regionCode: string;
  districtCode: string | null;
  coverage: BoundingBox;
}

const COLUMNS = `id, name, region_code AS "regionCode", district_code AS "districtCode",
  json_build_object('minLon', min_lon, 'minLat', min_lat, 'maxLon', max_lon, 'maxLat', max_lat) AS coverage`;

/** Operations centers and the area each covers, so incidents can be routed by location. */
@Injectable()
export class OperationsCentersService {
  constructor(
    private readonly access: RegionAccess,
    private readonly regions: RegionsRepository,
  ) {}

  @UseCase(P.createOperationsCenter)
  async create(dto: CreateOperationsCenterDto, scope: RegionScope): Promise<OperationsCenter> {
    const region = await this.regions.findRegion(dto.regionCode);
    if (!region) throw new UnprocessableFieldException('regionCode', `unknown region ${dto.regionCode}`);
    if (!scope.includes(region.code)) {
      throw new UnprocessableFieldException('regionCode', `region ${region.code} is outside your regions`);
    }
    let envelope = region.bbox;
    if (dto.districtCode) {
      const district = await this.regions.findDistrict(dto.districtCode);
      if (!district || district.regionCode !== region.code) {
        throw new UnprocessableFieldException(
          'districtCode',
          `no district ${dto.districtCode} in region ${region.code}`,
        );
      }
      envelope = district.bbox;
    }
    const coverage = dto.coverage ?? envelope;
    if (coverage.minLon >= coverage.maxLon || coverage.minLat >= coverage.maxLat) {
      throw new UnprocessableFieldException('coverage', 'min corner must be south-west of max corner');
    }
    const [row] = await this.access.run(scope, (m) =>
      m.query(
        `INSERT INTO operations_centers (name, region_code, district_code, min_lon, min_lat, max_lon, max_lat)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
        [
          dto.name,
          region.code,
          dto.districtCode ?? null,
          coverage.minLon,
          coverage.minLat,
          coverage.maxLon,
          coverage.maxLat,
        ],
      ),
    );
    return row;
  }

  @UseCase(P.readOperationsCenters)
  async get(id: string, scope: RegionScope): Promise<OperationsCenter> {
    const [row] = await this.access.run(scope, (m) =>
      m.query(`SELECT ${COLUMNS} FROM operations_centers WHERE id = $1 AND ${this.regionClause(scope, 2)}`, [
        id,
        ...this.regionParams(scope),
      ]),
    );
    if (!row) throw new NotFoundException(`operations center ${id} not found`);
    return row;
  }

  @UseCase(P.readOperationsCenters)
  list(scope: RegionScope, regionCode?: string): Promise<OperationsCenter[]> {
    return this.access.run(scope, (m) =>
      m.query(
        `SELECT ${COLUMNS} FROM operations_centers
         WHERE ($1::text IS NULL OR region_code = $1) AND ${this.regionClause(scope, 2)} ORDER BY name LIMIT 500`,
        [regionCode ?? null, ...this.regionParams(scope)],
      ),
    );
  }

  /** Centers whose area holds the point, the most specific (smallest area) first. */
  @UseCase(P.readOperationsCenters)
  covering(lat: number, lon: number, scope: RegionScope): Promise<OperationsCenter[]> {
    return this.access.run(scope, (m) =>
      m.query(
        `SELECT ${COLUMNS} FROM operations_centers
         WHERE box(point(min_lon, min_lat), point(max_lon, max_lat)) @> point($1, $2) AND ${this.regionClause(scope, 3)}
         ORDER BY (max_lon - min_lon) * (max_lat - min_lat), name`,
        [lon, lat, ...this.regionParams(scope)],
      ),
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
