import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createApplicationRole } from '@safecity/security';
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
    await q.query(`REVOKE ALL ON ALL TABLES IN SCHEMA video_analytics FROM ${VIDEO_ANALYTICS_APP_ROLE}`);
    await q.query(`REVOKE ALL ON ALL SEQUENCES IN SCHEMA video_analytics FROM ${VIDEO_ANALYTICS_APP_ROLE}`);
    await q.query(
      `ALTER DEFAULT PRIVILEGES IN SCHEMA video_analytics REVOKE ALL ON TABLES FROM ${VIDEO_ANALYTICS_APP_ROLE}`,
    );
    await q.query(
      `ALTER DEFAULT PRIVILEGES IN SCHEMA video_analytics REVOKE ALL ON SEQUENCES FROM ${VIDEO_ANALYTICS_APP_ROLE}`,
    );
    await q.query(`REVOKE USAGE ON SCHEMA video_analytics FROM ${VIDEO_ANALYTICS_APP_ROLE}`);
  }
}
