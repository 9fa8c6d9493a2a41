import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A plate hit's verification records where the vehicle the operator saw differs from the camera's
 * reading of it (make, colour): verified anyway, with the operator's reason.
 */
export class VisualCheckMismatch1764000600000 implements MigrationInterface {
  name = 'VisualCheckMismatch1764000600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE incidents.incident_confirmations ADD COLUMN vehicle_mismatch text[] NOT NULL DEFAULT '{}'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE incidents.incident_confirmations DROP COLUMN vehicle_mismatch`);
  }
}
