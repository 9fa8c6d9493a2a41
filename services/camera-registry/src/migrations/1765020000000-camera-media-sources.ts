import type { MigrationInterface, QueryRunner } from 'typeorm';
import { enableRegionRowLevelSecurity } from '@safecity/security';

/**
 * Where the platform's own analytics read a camera: stream, ONVIF profile or snapshot URL, frame
 * rate, analytics and zones. Credentials are stored sealed (MEDIA_CREDENTIALS_KEY, which the
 * database never holds) and no API returns them.
 */
export class CameraMediaSources1765020000000 implements MigrationInterface {
  name = 'CameraMediaSources1765020000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE camera_registry.camera_media_sources (
        camera_id           uuid PRIMARY KEY REFERENCES camera_registry.cameras (id) ON DELETE CASCADE,
        region_code         text NOT NULL,
        rtsp_url            text,
        onvif_media_url     text,
        onvif_profile_token text,
        snapshot_url        text,
        sealed_credentials  bytea,
        frame_rate          double precision NOT NULL CHECK (frame_rate >= 0.1 AND frame_rate <= 10),
        features            text[] NOT NULL,
        zones               jsonb NOT NULL DEFAULT '[]',
        version             bigint NOT NULL,
        updated_at          timestamptz NOT NULL DEFAULT now(),
        CHECK (rtsp_url IS NOT NULL OR onvif_media_url IS NOT NULL OR snapshot_url IS NOT NULL)
      )`);
    // A removed source keeps its row's version, so a source set again continues from it.
    await q.query(
      `ALTER TABLE camera_registry.camera_media_sources ADD COLUMN removed boolean NOT NULL DEFAULT false`,
    );
    await enableRegionRowLevelSecurity(q, 'camera_registry', 'camera_media_sources');
    await q.query(`
      DO $$ BEGIN
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'camera_registry_app') THEN
          GRANT SELECT, INSERT, UPDATE, DELETE ON camera_registry.camera_media_sources TO camera_registry_app;
        END IF;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS camera_registry.camera_media_sources');
  }
}
