import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The write path of ingestion, at tens of thousands of detections a second.
 *
 * Detections are read by id only; the one other access is retention, by `received_at`. Every
 * index is paid for on each insert, so: no index by camera (nothing reads detections by camera),
 * and a BRIN index for retention, since `received_at` grows with the insertion order. A BRIN range
 * not yet summarised is scanned as a match, which costs retention a little reading and never
 * misses a row.
 *
 * Outbox payloads are stored uncompressed: a packed row of observations (hundreds of kilobytes)
 * lives until the relay publishes it, milliseconds later, and compressing it cost the database
 * more than writing it.
 */
export class IngestionWritePath1764800000000 implements MigrationInterface {
  name = 'IngestionWritePath1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX recognition.detections_camera_idx');
    await q.query('DROP INDEX recognition.detections_received_idx');
    await q.query(
      `CREATE INDEX detections_received_idx ON recognition.detections USING brin (received_at)
       WITH (autosummarize = on)`,
    );
    await q.query('ALTER TABLE recognition.outbox ALTER COLUMN payload SET STORAGE EXTERNAL');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE recognition.outbox ALTER COLUMN payload SET STORAGE EXTENDED');
    await q.query('DROP INDEX recognition.detections_received_idx');
    await q.query('CREATE INDEX detections_received_idx ON recognition.detections (received_at)');
    await q.query('CREATE INDEX detections_camera_idx ON recognition.detections (camera_id, observed_at)');
  }
}
