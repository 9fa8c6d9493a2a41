import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A region's own version of a category's checklist, beside the national one: `region_code` is
 * null for national versions. Each has its own version numbers; a new incident gets its region's
 * latest version, or the national latest where its region has none.
 */
export class RegionalSops1764000460000 implements MigrationInterface {
  name = 'RegionalSops1764000460000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE incidents.sops ADD COLUMN region_code text`);
    await q.query(`ALTER TABLE incidents.sops DROP CONSTRAINT sops_category_version_key`);
    await q.query(
      `CREATE UNIQUE INDEX sops_national_version_key ON incidents.sops (category, version) WHERE region_code IS NULL`,
    );
    await q.query(
      `CREATE UNIQUE INDEX sops_regional_version_key ON incidents.sops (category, region_code, version)
        WHERE region_code IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM incidents.sops WHERE region_code IS NOT NULL`);
    await q.query(`DROP INDEX incidents.sops_regional_version_key`);
    await q.query(`DROP INDEX incidents.sops_national_version_key`);
    await q.query(
      `ALTER TABLE incidents.sops ADD CONSTRAINT sops_category_version_key UNIQUE (category, version)`,
    );
    await q.query(`ALTER TABLE incidents.sops DROP COLUMN region_code`);
  }
}
