import type { MigrationInterface, QueryRunner } from 'typeorm';
import {
  createApplicationRole,
  createAuditTable,
  disableRegionRowLevelSecurity,
  enableRegionRowLevelSecurity,
} from '@safecity/security';
import { INCIDENTS_APP_ROLE } from '../schema';

export const REGION_OWNED_TABLES = [
  'camera_directory',
  'incidents',
  'incident_sources',
  'incident_history',
  'incident_confirmations',
  'incident_changes',
];

/** Row-level security under every region-owned table, the role it applies to, and the audit log. */
export class Security1764000100000 implements MigrationInterface {
  name = 'Security1764000100000';

  async up(q: QueryRunner): Promise<void> {
    await createAuditTable(q, 'incidents', INCIDENTS_APP_ROLE);
    await createApplicationRole(q, INCIDENTS_APP_ROLE, 'incidents');
    for (const table of REGION_OWNED_TABLES) await enableRegionRowLevelSecurity(q, 'incidents', table);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of REGION_OWNED_TABLES) await disableRegionRowLevelSecurity(q, 'incidents', table);
    await q.query('DROP TABLE IF EXISTS incidents.audit_log');
  }
}
