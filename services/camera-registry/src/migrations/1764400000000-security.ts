import type { MigrationInterface, QueryRunner } from 'typeorm';
import {
  createApiKeyTable,
  createApplicationRole,
  createAuditTable,
  enableRegionRowLevelSecurity,
} from '@safecity/security';
import { CAMERA_REGISTRY_APP_ROLE } from '../schema';

/**
 * The second wall of region scope: the service runs as an application role without BYPASSRLS,
 * and every region-owned table only shows the rows of the regions set for the transaction.
 * Plus the video systems' API keys and the append-only audit log.
 */
export class Security1764400000000 implements MigrationInterface {
  name = 'Security1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await createApplicationRole(q, CAMERA_REGISTRY_APP_ROLE, 'camera_registry');
    for (const table of ['cameras', 'video_systems', 'operations_centers']) {
      await enableRegionRowLevelSecurity(q, 'camera_registry', table);
    }
    await createApiKeyTable(q, 'camera_registry');
    await createAuditTable(q, 'camera_registry', CAMERA_REGISTRY_APP_ROLE);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS camera_registry.audit_log');
    await q.query('DROP TABLE IF EXISTS camera_registry.api_keys');
    for (const table of ['cameras', 'video_systems', 'operations_centers']) {
      await q.query(`ALTER TABLE camera_registry.${table} NO FORCE ROW LEVEL SECURITY`);
      await q.query(`ALTER TABLE camera_registry.${table} DISABLE ROW LEVEL SECURITY`);
    }
  }
}
