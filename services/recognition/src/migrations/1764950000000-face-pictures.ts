import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A face picture is biometric data: it is kept only as the evidence of a match, and read only by
 * those who may see face matches. Pictures of face detections stored before are marked as such,
 * and those whose detection matched nothing are erased (their files go at the store's next start).
 */
export class FacePictures1764950000000 implements MigrationInterface {
  name = 'FacePictures1764950000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      'ALTER TABLE recognition.media_objects ADD COLUMN biometric boolean NOT NULL DEFAULT false',
    );
    await q.query(
      `UPDATE recognition.media_objects SET biometric = true
        WHERE detection_id IN (SELECT id FROM recognition.detections WHERE kind = 2)`,
    );
    await q.query(
      `DELETE FROM recognition.media_objects o WHERE o.biometric
          AND NOT EXISTS (SELECT 1 FROM recognition.matches m WHERE m.detection_id = o.detection_id::text)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE recognition.media_objects DROP COLUMN biometric');
  }
}
