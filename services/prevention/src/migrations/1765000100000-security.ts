import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createApplicationRole, createAuditTable, enableRegionRowLevelSecurity } from '@safecity/security';
import { PREVENTION_APP_ROLE } from '../schema';

export const REGION_OWNED_TABLES = [
  'subjects',
  'case_numbers',
  'cases',
  'risk_factors',
  'measures',
  'reviews',
  'case_timeline',
  'case_incidents',
  'incidents',
  'suggestions',
  'trigger_settings',
] as const;

/**
 * Region scope's second wall: the service runs as an application role without BYPASSRLS and
 * every table only shows the rows of the regions set for the transaction. Plus the append-only
 * audit log, which records every read of a person's or family's data.
 */
export class Security1765000100000 implements MigrationInterface {
  name = 'Security1765000100000';

  async up(q: QueryRunner): Promise<void> {
    await createApplicationRole(q, PREVENTION_APP_ROLE, 'prevention');
    for (const table of REGION_OWNED_TABLES) await enableRegionRowLevelSecurity(q, 'prevention', table);
    await createAuditTable(q, 'prevention', PREVENTION_APP_ROLE);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS prevention.audit_log');
    for (const table of REGION_OWNED_TABLES) {
      await q.query(`ALTER TABLE prevention.${table} NO FORCE ROW LEVEL SECURITY`);
      await q.query(`ALTER TABLE prevention.${table} DISABLE ROW LEVEL SECURITY`);
    }
  }
}
