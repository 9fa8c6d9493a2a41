import type { MigrationInterface, QueryRunner } from 'typeorm';
import {
  createApiKeyTable,
  createAuditTable,
  disableRegionRowLevelSecurity,
  dropApiKeyTable,
  enableRegionRowLevelSecurity,
} from '@safecity/security';
import { RECOGNITION_APP_ROLE } from '../schema';

/**
 * Ingestion: the video systems' API keys, normalised detections (short-lived metadata, never a
 * face template), pictures kept in the local media store, and the audit log their erasure and the
 * keys' lifecycle are recorded in.
 */
export class Ingestion1764600000000 implements MigrationInterface {
  name = 'Ingestion1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await createApiKeyTable(q, 'recognition');
    await q.query(`
      CREATE TABLE recognition.detections (
        id              uuid PRIMARY KEY,
        kind            smallint NOT NULL,
        camera_id       uuid NOT NULL,
        video_system_id text NOT NULL,
        region_code     text NOT NULL,
        vendor_event_id text NOT NULL,
        observed_at     timestamptz NOT NULL,
        received_at     timestamptz NOT NULL,
        -- Set only for vendors that update an event (Frigate): a later revision replaces the row.
        revised_at      timestamptz,
        -- The protobuf Detection as published; a face is in it only as a template reference.
        payload         bytea NOT NULL
      )`);
    await q.query('CREATE INDEX detections_received_idx ON recognition.detections (received_at)');
    await q.query('CREATE INDEX detections_camera_idx ON recognition.detections (camera_id, observed_at)');
    await enableRegionRowLevelSecurity(q, 'recognition', 'detections');
    await q.query(`
      CREATE TABLE recognition.media_objects (
        id              uuid PRIMARY KEY,
        region_code     text NOT NULL,
        video_system_id text NOT NULL,
        detection_id    uuid,
        content_type    text NOT NULL,
        size_bytes      integer NOT NULL CHECK (size_bytes >= 0),
        stored_at       timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE INDEX media_objects_stored_idx ON recognition.media_objects (stored_at)');
    await enableRegionRowLevelSecurity(q, 'recognition', 'media_objects');
    const audit = (await q.query(`SELECT to_regclass('recognition.audit_log') AS oid`)) as {
      oid: string | null;
    }[];
    if (!audit[0]?.oid) await createAuditTable(q, 'recognition', RECOGNITION_APP_ROLE);
    await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON recognition.detections, recognition.media_objects,
      recognition.api_keys TO ${RECOGNITION_APP_ROLE}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await disableRegionRowLevelSecurity(q, 'recognition', 'media_objects');
    await disableRegionRowLevelSecurity(q, 'recognition', 'detections');
    await q.query('DROP TABLE recognition.media_objects');
    await q.query('DROP TABLE recognition.detections');
    await dropApiKeyTable(q, 'recognition');
  }
}
