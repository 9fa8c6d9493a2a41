import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createMessagingTables, dropMessagingTables } from '@safecity/messaging';

export class InitialSchema1764000000000 implements MigrationInterface {
  name = 'InitialSchema1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE recognition.camera_directory (
        id              uuid PRIMARY KEY,
        region_code     text NOT NULL,
        district_code   text,
        video_system_id uuid NOT NULL,
        external_id     text NOT NULL,
        name            text NOT NULL,
        lat             double precision NOT NULL,
        lon             double precision NOT NULL,
        capabilities    int[] NOT NULL DEFAULT '{}',
        privacy_masks   jsonb NOT NULL DEFAULT '[]',
        tags            text[] NOT NULL DEFAULT '{}',
        lifecycle       int NOT NULL,
        status          int NOT NULL,
        version         bigint NOT NULL,
        updated_at      timestamptz,
        changes_applied int NOT NULL DEFAULT 0
      )`);
    await q.query(
      `CREATE INDEX camera_directory_external_idx ON recognition.camera_directory (video_system_id, external_id)`,
    );
    await createMessagingTables(q, 'recognition');
  }

  async down(q: QueryRunner): Promise<void> {
    await dropMessagingTables(q, 'recognition');
    await q.query('DROP TABLE recognition.camera_directory');
  }
}
