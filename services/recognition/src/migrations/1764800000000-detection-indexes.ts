import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Detections are written at tens of thousands a second and read by id only; the one other access
 * is retention, by `received_at`. Every index is paid for on each insert, so: no index by camera
 * (nothing reads detections by camera), and a BRIN index for retention, since `received_at` grows
 * with the insertion order. A BRIN range not yet summarised is scanned as a match, which costs
 * retention a little reading and never misses a row.
 */
export class DetectionIndexes1764800000000 implements MigrationInterface {
  name = 'DetectionIndexes1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX recognition.detections_camera_idx');
    await q.query('DROP INDEX recognition.detections_received_idx');
    await q.query(
      `CREATE INDEX detections_received_idx ON recognition.detections USING brin (received_at)
       WITH (autosummarize = on)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX recognition.detections_received_idx');
    await q.query('CREATE INDEX detections_received_idx ON recognition.detections (received_at)');
    await q.query('CREATE INDEX detections_camera_idx ON recognition.detections (camera_id, observed_at)');
  }
}
