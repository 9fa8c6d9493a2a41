import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createApplicationRole, enableRegionRowLevelSecurity } from '@safecity/security';
import { RECOGNITION_APP_ROLE } from '../schema';

/** Row-level security under recognition's region-owned tables, and the role it applies to. */
export class Security1764400000000 implements MigrationInterface {
  name = 'Security1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await createApplicationRole(q, RECOGNITION_APP_ROLE, 'recognition');
    await enableRegionRowLevelSecurity(q, 'recognition', 'camera_directory');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE recognition.camera_directory NO FORCE ROW LEVEL SECURITY');
    await q.query('ALTER TABLE recognition.camera_directory DISABLE ROW LEVEL SECURITY');
  }
}
