import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Whether a person stands behind an incident (an operator verified or opened it, or a citizen
 * reported it): only such incidents join case timelines and count towards repeat-incident
 * suggestions, never a machine match nobody has verified yet. Incidents already past "new" were
 * verified by someone; those still new are unknown until their next event says.
 */
export class ConfirmedIncidents1765000600000 implements MigrationInterface {
  name = 'ConfirmedIncidents1765000600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE prevention.incidents ADD COLUMN confirmed boolean NOT NULL DEFAULT false`);
    // 1 = new, 3 = dismissed (safecity.incidents.v1.IncidentState).
    await q.query(`UPDATE prevention.incidents SET confirmed = true WHERE state NOT IN (1, 3)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE prevention.incidents DROP COLUMN confirmed`);
  }
}
