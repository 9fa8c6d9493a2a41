import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Under row-level security PostgreSQL uses an index only for quals whose functions are all
 * LEAKPROOF, so the GiST index on camera points stopped serving bounding-box queries once the
 * policies came (a scan of every camera instead: 17 ms against 0.3 ms for 100,000 cameras).
 * `point(float8, float8)` and `point <@ box` (on_pb) reveal nothing about the rows they reject, so
 * both are marked leakproof. Only a superuser may do that; elsewhere the notice tells the DBA.
 */
export class LeakproofPointInBox1764500000000 implements MigrationInterface {
  name = 'LeakproofPointInBox1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      DO $$ BEGIN
        IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
          ALTER FUNCTION pg_catalog.on_pb(point, box) LEAKPROOF;
          ALTER FUNCTION pg_catalog.point(double precision, double precision) LEAKPROOF;
        ELSE
          RAISE NOTICE 'a superuser should run: ALTER FUNCTION pg_catalog.on_pb(point, box) LEAKPROOF; '
            'ALTER FUNCTION pg_catalog.point(double precision, double precision) LEAKPROOF;';
        END IF;
      END $$`);
  }

  async down(): Promise<void> {
    // Left leakproof: other schemas on the server may rely on it.
  }
}
