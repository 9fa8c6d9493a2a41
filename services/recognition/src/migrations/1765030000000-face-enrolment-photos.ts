import type { MigrationInterface, QueryRunner } from 'typeorm';
import { enableRegionRowLevelSecurity } from '@safecity/security';
import { RECOGNITION_APP_ROLE } from '../schema';

/**
 * Enrolment photos kept, sealed like templates, so that a change of face model can re-enrol
 * every subject from the photo it was enrolled with; and the entries a change of model left
 * without a template of the current model and without a kept photo, which need a new photo.
 * Both go with their entry (ON DELETE CASCADE): erased when it is erased or expires.
 */
export class FaceEnrolmentPhotos1765030000000 implements MigrationInterface {
  name = 'FaceEnrolmentPhotos1765030000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE recognition.face_entry_photos (
        id             uuid PRIMARY KEY,
        entry_id       uuid NOT NULL REFERENCES recognition.face_watchlist_entries (id) ON DELETE CASCADE,
        region_code    text NOT NULL,
        sealed         bytea NOT NULL,
        template_model text NOT NULL,
        kept_by        text NOT NULL,
        kept_at        timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX face_entry_photos_entry_idx ON recognition.face_entry_photos (entry_id)`);
    await q.query(`
      CREATE TABLE recognition.face_entries_needing_photo (
        entry_id    uuid PRIMARY KEY REFERENCES recognition.face_watchlist_entries (id) ON DELETE CASCADE,
        region_code text NOT NULL,
        model       text NOT NULL,
        flagged_at  timestamptz NOT NULL DEFAULT now()
      )`);
    for (const table of ['face_entry_photos', 'face_entries_needing_photo']) {
      await enableRegionRowLevelSecurity(q, 'recognition', table);
      await q.query(`
        DO $$ BEGIN
          IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${RECOGNITION_APP_ROLE}') THEN
            GRANT SELECT, INSERT, UPDATE, DELETE ON recognition.${table} TO ${RECOGNITION_APP_ROLE};
          END IF;
        END $$`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS recognition.face_entries_needing_photo');
    await q.query('DROP TABLE IF EXISTS recognition.face_entry_photos');
  }
}
