import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A citizen report may give an address instead of coordinates (or both). */
export class CitizenReportAddress1764000620000 implements MigrationInterface {
  name = 'CitizenReportAddress1764000620000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE incidents.citizen_reports ALTER COLUMN lat DROP NOT NULL, ALTER COLUMN lon DROP NOT NULL`,
    );
    await q.query(`
      ALTER TABLE incidents.citizen_reports ADD CONSTRAINT citizen_reports_placed
        CHECK ((lat IS NULL) = (lon IS NULL) AND (lat IS NOT NULL OR address <> ''))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE incidents.citizen_reports DROP CONSTRAINT citizen_reports_placed`);
    await q.query(
      `ALTER TABLE incidents.citizen_reports ALTER COLUMN lat SET NOT NULL, ALTER COLUMN lon SET NOT NULL`,
    );
  }
}
