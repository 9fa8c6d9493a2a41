import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createApplicationRole, revokeApplicationRole } from '@safecity/security';
import { VIDEO_ANALYTICS_APP_ROLE } from '../schema';

/**
 * The role the service's runtime connections act as, like every other service's: reads and
 * writes its own tables and nothing else, so the login that owns the schema (and runs these
 * migrations) is not what a compromised watcher could use.
 */
export class ApplicationRole1765040100000 implements MigrationInterface {
  name = 'ApplicationRole1765040100000';

  async up(q: QueryRunner): Promise<void> {
    await createApplicationRole(q, VIDEO_ANALYTICS_APP_ROLE, 'video_analytics');
  }

  async down(q: QueryRunner): Promise<void> {
    await revokeApplicationRole(q, VIDEO_ANALYTICS_APP_ROLE, 'video_analytics');
  }
}
