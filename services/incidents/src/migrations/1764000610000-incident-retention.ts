import type { MigrationInterface, QueryRunner } from 'typeorm';
import { disableRegionRowLevelSecurity, enableRegionRowLevelSecurity } from '@safecity/security';

/**
 * What retention needs: when an incident ended (dismissed, resolved or closed; its periods run
 * from then), citizens' contact data in a table of its own (kept shorter than the report), and
 * reports that outlive nothing of their incident: erasing an incident leaves its reports without
 * one, and the retention job erases them next.
 */
export class IncidentRetention1764000610000 implements MigrationInterface {
  name = 'IncidentRetention1764000610000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE incidents.incidents ADD COLUMN ended_at timestamptz`);
    // 3 dismissed, 6 resolved, 7 closed: nothing moves an ended incident but a reopening, so its
    // last update is when it ended.
    await q.query(`UPDATE incidents.incidents SET ended_at = updated_at WHERE state IN (3, 6, 7)`);
    await q.query(
      `CREATE INDEX incidents_ended_idx ON incidents.incidents (ended_at) WHERE ended_at IS NOT NULL`,
    );

    await q.query(`
      CREATE TABLE incidents.citizen_report_contacts (
        report_id    uuid PRIMARY KEY REFERENCES incidents.citizen_reports (id) ON DELETE CASCADE,
        region_code  text NOT NULL,
        -- The channel's pseudonymous citizen id: how the citizen is reached through the channel.
        reporter_ref text,
        -- Kept only with the citizen's consent to be contacted.
        contact      text,
        received_at  timestamptz NOT NULL
      )`);
    await q.query(
      `CREATE INDEX citizen_report_contacts_received_idx ON incidents.citizen_report_contacts (received_at)`,
    );
    await q.query(`
      INSERT INTO incidents.citizen_report_contacts (report_id, region_code, reporter_ref, contact, received_at)
      SELECT id, region_code, reporter_ref, contact, received_at FROM incidents.citizen_reports
       WHERE reporter_ref IS NOT NULL OR contact IS NOT NULL`);
    await q.query(`ALTER TABLE incidents.citizen_reports DROP COLUMN reporter_ref, DROP COLUMN contact`);
    await enableRegionRowLevelSecurity(q, 'incidents', 'citizen_report_contacts');

    await q.query(`
      ALTER TABLE incidents.citizen_reports DROP CONSTRAINT citizen_reports_incident_id_fkey,
        ADD CONSTRAINT citizen_reports_incident_id_fkey FOREIGN KEY (incident_id)
          REFERENCES incidents.incidents (id) ON DELETE SET NULL`);
    await q.query(
      `CREATE INDEX citizen_reports_without_incident_idx ON incidents.citizen_reports (received_at)
        WHERE incident_id IS NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX incidents.citizen_reports_without_incident_idx`);
    await q.query(`
      ALTER TABLE incidents.citizen_reports DROP CONSTRAINT citizen_reports_incident_id_fkey,
        ADD CONSTRAINT citizen_reports_incident_id_fkey FOREIGN KEY (incident_id)
          REFERENCES incidents.incidents (id)`);
    await q.query(
      `ALTER TABLE incidents.citizen_reports ADD COLUMN reporter_ref text, ADD COLUMN contact text`,
    );
    await q.query(`
      UPDATE incidents.citizen_reports r SET reporter_ref = c.reporter_ref, contact = c.contact
        FROM incidents.citizen_report_contacts c WHERE c.report_id = r.id`);
    await disableRegionRowLevelSecurity(q, 'incidents', 'citizen_report_contacts');
    await q.query(`DROP TABLE incidents.citizen_report_contacts`);
    await q.query(`DROP INDEX incidents.incidents_ended_idx`);
    await q.query(`ALTER TABLE incidents.incidents DROP COLUMN ended_at`);
  }
}
