import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createMessagingTables, dropMessagingTables } from '@safecity/messaging';

/**
 * The outbox (camera health goes out through it) and the read model of `safecity.camera-media.v1`:
 * each camera's latest media source as camera-registry published it, credentials still sealed.
 * No frame, face or template is ever stored here.
 */
export class InitialSchema1765040000000 implements MigrationInterface {
  name = 'InitialSchema1765040000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA IF NOT EXISTS video_analytics`);
    await createMessagingTables(q, 'video_analytics');
    await q.query(`
      CREATE TABLE video_analytics.camera_sources (
        camera_id   uuid PRIMARY KEY,
        version     bigint NOT NULL,
        removed     boolean NOT NULL,
        source      bytea,
        updated_at  timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS video_analytics.camera_sources');
    await dropMessagingTables(q, 'video_analytics');
  }
}
