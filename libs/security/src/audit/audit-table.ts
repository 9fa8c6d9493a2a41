import type { SqlExecutor } from '../region-scope/row-level-security';
import { ident, literal, qualified } from '../sql';
import { ACTIONS_NEEDING_PURPOSE, AUDIT_ACTIONS, DEFAULT_AUDIT_TABLE } from './audit-record';

const list = (values: readonly string[]) => values.map(literal).join(', ');

/**
 * The audit log of a service, in its own schema; call from a migration. Append-only three times
 * over: the application role is granted only INSERT and SELECT, a trigger refuses UPDATE, DELETE
 * and TRUNCATE for everyone short of a superuser who disables it on purpose, and the hash chain
 * makes whatever such a superuser changes visible to `verifyAuditChain`.
 *
 * `seq` is assigned by `AuditLog.record` under a lock rather than by a sequence: a sequence leaves
 * holes where transactions roll back, and then a hole could no longer mean a removed record.
 */
export async function createAuditTable(
  queryRunner: SqlExecutor,
  schema: string,
  appRole: string,
  table = DEFAULT_AUDIT_TABLE,
): Promise<void> {
  const t = qualified(schema, table);
  const s = ident(schema, 'schema');
  const role = ident(appRole, 'role');
  const name = (suffix: string) => ident(`${table}_${suffix}`);
  await queryRunner.query(`
    CREATE TABLE ${t} (
      seq           bigint      PRIMARY KEY CHECK (seq > 0),
      id            uuid        NOT NULL UNIQUE,
      recorded_at   timestamptz NOT NULL,
      actor_subject text        NOT NULL,
      actor_kind    text        NOT NULL CHECK (actor_kind IN ('user', 'service', 'video-system')),
      actor_roles   text[]      NOT NULL DEFAULT '{}',
      region_code   text,
      action        text        NOT NULL CHECK (action IN (${list(AUDIT_ACTIONS)})),
      object_type   text        NOT NULL,
      object_id     text        NOT NULL,
      purpose       text,
      legal_basis   text,
      details       jsonb       NOT NULL DEFAULT '{}',
      prev_hash     text        NOT NULL UNIQUE CHECK (prev_hash ~ '^[0-9a-f]{64}$'),
      hash          text        NOT NULL UNIQUE CHECK (hash ~ '^[0-9a-f]{64}$'),
      CHECK (action NOT IN (${list(ACTIONS_NEEDING_PURPOSE)}) OR (purpose IS NOT NULL AND legal_basis IS NOT NULL))
    )`);
  await queryRunner.query(`CREATE INDEX ${name('object_idx')} ON ${t} (object_type, object_id, seq)`);
  await queryRunner.query(`CREATE INDEX ${name('actor_idx')} ON ${t} (actor_subject, seq)`);
  await queryRunner.query(`CREATE INDEX ${name('recorded_at_idx')} ON ${t} (recorded_at)`);
  await queryRunner.query(`
    CREATE FUNCTION ${s}.${name('append_only')}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
    END
    $$`);
  await queryRunner.query(
    `CREATE TRIGGER ${name('no_change')} BEFORE UPDATE OR DELETE ON ${t} FOR EACH ROW EXECUTE FUNCTION ${s}.${name('append_only')}()`,
  );
  await queryRunner.query(
    `CREATE TRIGGER ${name('no_truncate')} BEFORE TRUNCATE ON ${t} FOR EACH STATEMENT EXECUTE FUNCTION ${s}.${name('append_only')}()`,
  );
  await queryRunner.query(`
    DO $$
    BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ${literal(appRole)}) THEN
        CREATE ROLE ${role} NOLOGIN NOSUPERUSER NOBYPASSRLS;
      END IF;
    EXCEPTION WHEN duplicate_object THEN
      NULL;
    END
    $$`);
  await queryRunner.query(`REVOKE ALL ON ${t} FROM PUBLIC`);
  // Default privileges of the schema (createApplicationRole) would otherwise hand out UPDATE/DELETE.
  await queryRunner.query(`REVOKE ALL ON ${t} FROM ${role}`);
  await queryRunner.query(`GRANT USAGE ON SCHEMA ${s} TO ${role}`);
  await queryRunner.query(`GRANT SELECT, INSERT ON ${t} TO ${role}`);
}

export async function dropAuditTable(queryRunner: SqlExecutor, schema: string, table = DEFAULT_AUDIT_TABLE) {
  await queryRunner.query(`DROP TABLE IF EXISTS ${qualified(schema, table)}`);
  await queryRunner.query(
    `DROP FUNCTION IF EXISTS ${ident(schema, 'schema')}.${ident(`${table}_append_only`)}()`,
  );
}
