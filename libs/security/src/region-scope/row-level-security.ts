import { ident, literal, qualified } from '../sql';
import { REGION_SETTING } from './scoped-queries';

/** What the migration helpers need: a TypeORM `QueryRunner`, `EntityManager` or `DataSource`. */
export interface SqlExecutor {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

export const REGION_POLICY = 'region_scope';

/**
 * Row-level security as the second wall behind the query filter. Rows are visible (and may be
 * written) only when their region is in `app.regions` (a comma list) or the setting is `*`. With
 * the setting unset or empty nothing is visible: a code path that forgot to scope fails closed.
 *
 * FORCE makes the policy apply to the table's owner too. Superusers and BYPASSRLS roles still
 * bypass it, which is why services run their queries as the role `createApplicationRole` makes.
 */
export async function enableRegionRowLevelSecurity(
  queryRunner: SqlExecutor,
  schema: string,
  table: string,
  column = 'region_code',
): Promise<void> {
  const target = qualified(schema, table);
  const setting = `current_setting('${REGION_SETTING}', true)`;
  const predicate = `(${setting} = '*' OR ${ident(column, 'column')} = ANY (string_to_array(NULLIF(${setting}, ''), ',')))`;
  await queryRunner.query(`ALTER TABLE ${target} ENABLE ROW LEVEL SECURITY`);
  await queryRunner.query(`ALTER TABLE ${target} FORCE ROW LEVEL SECURITY`);
  await queryRunner.query(`DROP POLICY IF EXISTS ${REGION_POLICY} ON ${target}`);
  await queryRunner.query(
    `CREATE POLICY ${REGION_POLICY} ON ${target} FOR ALL USING ${predicate} WITH CHECK ${predicate}`,
  );
}

export async function disableRegionRowLevelSecurity(
  queryRunner: SqlExecutor,
  schema: string,
  table: string,
): Promise<void> {
  const target = qualified(schema, table);
  await queryRunner.query(`DROP POLICY IF EXISTS ${REGION_POLICY} ON ${target}`);
  await queryRunner.query(`ALTER TABLE ${target} NO FORCE ROW LEVEL SECURITY`);
  await queryRunner.query(`ALTER TABLE ${target} DISABLE ROW LEVEL SECURITY`);
}

export interface ApplicationRoleOptions {
  /** Tables the role may only read and append to. Default `['audit_log']`. */
  appendOnlyTables?: readonly string[];
}

/**
 * The role a service's queries run as (`applicationRole` of `serviceDataSourceOptions`): no login,
 * not a superuser, no BYPASSRLS, so row-level security applies to it. It may read and write the
 * schema's tables (also those later migrations create) but not alter, drop or own them, so it
 * cannot switch row-level security off either. Roles are cluster-wide: one per service, created
 * if missing; an existing one that could bypass row-level security is refused.
 */
export async function createApplicationRole(
  queryRunner: SqlExecutor,
  role: string,
  schema: string,
  options: ApplicationRoleOptions = {},
): Promise<void> {
  const r = ident(role, 'role');
  const s = ident(schema, 'schema');
  // Checked first: a migration user without CREATEROLE may still run this against a role a DBA made.
  await queryRunner.query(`
    DO $$
    BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ${literal(role)}) THEN
        CREATE ROLE ${r} NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
      END IF;
    EXCEPTION WHEN duplicate_object THEN
      NULL; -- another service's migration created it a moment ago
    END
    $$`);
  const rows = (await queryRunner.query(`SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = $1`, [
    role,
  ])) as { rolsuper: boolean; rolbypassrls: boolean }[];
  const found = rows[0];
  if (!found) throw new Error(`role ${role} was not created`);
  if (found.rolsuper || found.rolbypassrls) {
    throw new Error(`role ${role} is a superuser or has BYPASSRLS: row-level security would not apply to it`);
  }
  await queryRunner.query(`GRANT USAGE ON SCHEMA ${s} TO ${r}`);
  await queryRunner.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${s} TO ${r}`);
  await queryRunner.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ${s} TO ${r}`);
  await queryRunner.query(
    `ALTER DEFAULT PRIVILEGES IN SCHEMA ${s} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${r}`,
  );
  await queryRunner.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA ${s} GRANT USAGE, SELECT ON SEQUENCES TO ${r}`);
  // The blanket grant above also reached tables that must stay append-only.
  for (const table of options.appendOnlyTables ?? ['audit_log']) {
    const exists = (await queryRunner.query(`SELECT to_regclass($1) AS oid`, [`${schema}.${table}`])) as {
      oid: string | null;
    }[];
    if (exists[0]?.oid) {
      await queryRunner.query(`REVOKE UPDATE, DELETE, TRUNCATE ON ${qualified(schema, table)} FROM ${r}`);
    }
  }
  const migrations = (await queryRunner.query(`SELECT to_regclass($1) AS oid`, [`${schema}.migrations`])) as {
    oid: string | null;
  }[];
  if (migrations[0]?.oid) {
    await queryRunner.query(
      `REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON ${qualified(schema, 'migrations')} FROM ${r}`,
    );
  }
}

/** Undoes {@link createApplicationRole}'s grants in `schema` (the role itself may serve other schemas). */
export async function revokeApplicationRole(
  queryRunner: SqlExecutor,
  role: string,
  schema: string,
): Promise<void> {
  const r = ident(role, 'role');
  const s = ident(schema, 'schema');
  const exists = (await queryRunner.query(`SELECT 1 FROM pg_roles WHERE rolname = $1`, [role])) as unknown[];
  if (exists.length === 0) return;
  await queryRunner.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA ${s} REVOKE ALL ON TABLES FROM ${r}`);
  await queryRunner.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA ${s} REVOKE ALL ON SEQUENCES FROM ${r}`);
  await queryRunner.query(`REVOKE ALL ON ALL TABLES IN SCHEMA ${s} FROM ${r}`);
  await queryRunner.query(`REVOKE ALL ON ALL SEQUENCES IN SCHEMA ${s} FROM ${r}`);
  await queryRunner.query(`REVOKE ALL ON SCHEMA ${s} FROM ${r}`);
}
