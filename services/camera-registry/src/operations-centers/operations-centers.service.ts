import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { UnprocessableFieldException } from '@safecity/service-kit';
import type { DataSource } from 'typeorm';
import { RegionsRepository, type BoundingBox } from '../regions/regions.repository';
import { CAMERA_REGISTRY_SCHEMA } from '../schema';
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
    @InjectDataSource(CAMERA_REGISTRY_SCHEMA) private readonly dataSource: DataSource,
    private readonly regions: RegionsRepository,
  ) {}

  async create(dto: CreateOperationsCenterDto): Promise<OperationsCenter> {
    const region = await this.regions.findRegion(dto.regionCode);
    if (!region) throw new UnprocessableFieldException('regionCode', `unknown region ${dto.regionCode}`);
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
    const [row] = await this.dataSource.query(
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
    );
    return row;
  }

  async get(id: string): Promise<OperationsCenter> {
    const [row] = await this.dataSource.query(`SELECT ${COLUMNS} FROM operations_centers WHERE id = $1`, [
      id,
    ]);
    if (!row) throw new NotFoundException(`operations center ${id} not found`);
    return row;
  }

  list(regionCode?: string): Promise<OperationsCenter[]> {
    return this.dataSource.query(
      `SELECT ${COLUMNS} FROM operations_centers WHERE ($1::text IS NULL OR region_code = $1) ORDER BY name LIMIT 500`,
      [regionCode ?? null],
    );
  }

  /** Centers whose area holds the point, the most specific (smallest area) first. */
  covering(lat: number, lon: number): Promise<OperationsCenter[]> {
    return this.dataSource.query(
      `SELECT ${COLUMNS} FROM operations_centers
       WHERE box(point(min_lon, min_lat), point(max_lon, max_lat)) @> point($1, $2)
       ORDER BY (max_lon - min_lon) * (max_lat - min_lat), name`,
      [lon, lat],
    );
  }
}
