import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { CAMERA_REGISTRY_SCHEMA } from '../schema';

export interface BoundingBox {
  minLon: number;
  minLat: number;
  maxLon: number;
  maxLat: number;
}

export interface RegionRow {
  code: string;
  name: string;
  kind: 'region' | 'city';
  bbox: BoundingBox;
}

export interface DistrictRow {
  code: string;
  regionCode: string;
  name: string;
  bbox: BoundingBox;
}

const BBOX = `json_build_object('minLon', min_lon, 'minLat', min_lat, 'maxLon', max_lon, 'maxLat', max_lat) AS bbox`;

@Injectable()
export class RegionsRepository {
  constructor(@InjectDataSource(CAMERA_REGISTRY_SCHEMA) private readonly dataSource: DataSource) {}

  listRegions(): Promise<RegionRow[]> {
    return this.dataSource.query(`SELECT code, name, kind, ${BBOX} FROM regions ORDER BY kind DESC, name`);
  }

  async findRegion(code: string): Promise<RegionRow | null> {
    const rows = await this.dataSource.query(
      `SELECT code, name, kind, ${BBOX} FROM regions WHERE code = $1`,
      [code],
    );
    return rows[0] ?? null;
  }

  listDistricts(regionCode: string): Promise<DistrictRow[]> {
    return this.dataSource.query(
      `SELECT code, region_code AS "regionCode", name, ${BBOX} FROM districts WHERE region_code = $1 ORDER BY name`,
      [regionCode],
    );
  }

  async findDistrict(code: string): Promise<DistrictRow | null> {
    const rows = await this.dataSource.query(
      `SELECT code, region_code AS "regionCode", name, ${BBOX} FROM districts WHERE code = $1`,
      [code],
    );
    return rows[0] ?? null;
  }
}
