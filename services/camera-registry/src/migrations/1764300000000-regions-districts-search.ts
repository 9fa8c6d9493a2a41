import type { MigrationInterface, QueryRunner } from 'typeorm';
import { DISTRICTS } from '../regions/districts';
import { REGIONS } from '../regions/regions';

export class RegionsDistrictsSearch1764300000000 implements MigrationInterface {
  name = 'RegionsDistrictsSearch1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE camera_registry.regions (
        code    text PRIMARY KEY,
        name    text NOT NULL,
        kind    text NOT NULL CHECK (kind IN ('region', 'city')),
        min_lon double precision NOT NULL, min_lat double precision NOT NULL,
        max_lon double precision NOT NULL, max_lat double precision NOT NULL
      )`);
    await q.query(`
      CREATE TABLE camera_registry.districts (
        code        text PRIMARY KEY,
        region_code text NOT NULL REFERENCES camera_registry.regions (code),
        name        text NOT NULL,
        min_lon double precision NOT NULL, min_lat double precision NOT NULL,
        max_lon double precision NOT NULL, max_lat double precision NOT NULL
      )`);
    for (const r of REGIONS) {
      await q.query(`INSERT INTO camera_registry.regions VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
        r.code,
        r.name,
        r.kind,
        ...r.bbox,
      ]);
    }
    for (const d of DISTRICTS) {
      await q.query(`INSERT INTO camera_registry.districts VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
        d.code,
        d.regionCode,
        d.name,
        ...d.bbox,
      ]);
    }
    await q.query(`
      CREATE TABLE camera_registry.operations_centers (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name          text NOT NULL,
        region_code   text NOT NULL REFERENCES camera_registry.regions (code),
        district_code text REFERENCES camera_registry.districts (code),
        min_lon double precision NOT NULL, min_lat double precision NOT NULL,
        max_lon double precision NOT NULL, max_lat double precision NOT NULL,
        created_at    timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX operations_centers_coverage_idx ON camera_registry.operations_centers
         USING gist (box(point(min_lon, min_lat), point(max_lon, max_lat)))`,
    );
    // Geographic queries: a GiST index on the camera's point answers bounding boxes (and the box
    // around a radius) without PostGIS; trigram search for names, addresses and vendor ids.
    await q.query(
      `CREATE INDEX cameras_location_gist ON camera_registry.cameras USING gist (point(lon, lat))`,
    );
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public`);
    await q.query(
      `CREATE INDEX cameras_text_trgm ON camera_registry.cameras
         USING gin ((name || ' ' || coalesce(address, '') || ' ' || external_id) public.gin_trgm_ops)`,
    );
    await q.query(`CREATE INDEX cameras_tags_gin ON camera_registry.cameras USING gin (tags)`);
    await q.query(
      `CREATE INDEX cameras_capabilities_gin ON camera_registry.cameras USING gin (capabilities)`,
    );
    await q.query(`CREATE INDEX cameras_district_idx ON camera_registry.cameras (district_code, id)`);
    await q.query(`CREATE INDEX cameras_status_idx ON camera_registry.cameras (status, id)`);
    await q.query(
      `ALTER TABLE camera_registry.cameras ADD CONSTRAINT cameras_region_fk
         FOREIGN KEY (region_code) REFERENCES camera_registry.regions (code)`,
    );
    await q.query(
      `ALTER TABLE camera_registry.cameras ADD CONSTRAINT cameras_district_fk
         FOREIGN KEY (district_code) REFERENCES camera_registry.districts (code)`,
    );
    await q.query(
      `ALTER TABLE camera_registry.video_systems ADD CONSTRAINT video_systems_region_fk
         FOREIGN KEY (region_code) REFERENCES camera_registry.regions (code)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE camera_registry.video_systems DROP CONSTRAINT video_systems_region_fk');
    await q.query('ALTER TABLE camera_registry.cameras DROP CONSTRAINT cameras_district_fk');
    await q.query('ALTER TABLE camera_registry.cameras DROP CONSTRAINT cameras_region_fk');
    for (const index of [
      'cameras_status_idx',
      'cameras_district_idx',
      'cameras_capabilities_gin',
      'cameras_tags_gin',
      'cameras_text_trgm',
      'cameras_location_gist',
    ]) {
      await q.query(`DROP INDEX camera_registry.${index}`);
    }
    await q.query('DROP TABLE camera_registry.operations_centers');
    await q.query('DROP TABLE camera_registry.districts');
    await q.query('DROP TABLE camera_registry.regions');
  }
}
