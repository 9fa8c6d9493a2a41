import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createMessagingTables, dropMessagingTables } from '@safecity/messaging';

export class InitialSchema1764000000000 implements MigrationInterface {
  name = 'InitialSchema1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE camera_registry.video_systems (
        id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        region_code      text NOT NULL,
        name             text NOT NULL,
        vendor           text NOT NULL,
        endpoint         text,
        ingestion_method text NOT NULL,
        status           text NOT NULL DEFAULT 'active',
        created_at       timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX video_systems_region_idx ON camera_registry.video_systems (region_code)`);
    await q.query(`
      CREATE TABLE camera_registry.cameras (
        id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        region_code       text NOT NULL,
        district_code     text,
        video_system_id   uuid NOT NULL REFERENCES camera_registry.video_systems (id),
        external_id       text NOT NULL,
        name              text NOT NULL,
        lat               double precision NOT NULL,
        lon               double precision NOT NULL,
        address           text,
        direction_deg     double precision,
        field_of_view_deg double precision,
        mount_type        text,
        capabilities      text[] NOT NULL DEFAULT '{}',
        privacy_masks     jsonb NOT NULL DEFAULT '[]',
        tags              text[] NOT NULL DEFAULT '{}',
        lifecycle         text NOT NULL,
        status            text NOT NULL DEFAULT 'unknown',
        version           bigint NOT NULL DEFAULT 1,
        created_at        timestamptz NOT NULL DEFAULT now(),
        updated_at        timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT cameras_external_id_unique UNIQUE (video_system_id, external_id)
      )`);
    await q.query(`CREATE INDEX cameras_region_idx ON camera_registry.cameras (region_code, id)`);
    await createMessagingTables(q, 'camera_registry');
  }

  async down(q: QueryRunner): Promise<void> {
    await dropMessagingTables(q, 'camera_registry');
    await q.query('DROP TABLE camera_registry.cameras');
    await q.query('DROP TABLE camera_registry.video_systems');
  }
}
