import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource, type DataSourceOptions, type QueryRunner } from 'typeorm';
import { serviceDataSourceOptions } from '@safecity/persistence';
import { createTestDatabase } from '@safecity/testing';

export interface TestSchema {
  /** Superuser URL of the suite's own database. */
  url: string;
  schema: string;
  /** Application role (cluster-wide, so unique per suite). */
  role: string;
  /** Connects as the superuser, like migrations: row-level security does not apply. */
  admin: DataSource;
  /** Connects like the service at runtime: as the superuser, switched to the application role. */
  app(options?: { poolSize?: number }): Promise<DataSource>;
  close(): Promise<void>;
}

/**
 * A fresh database with the service schema built by `migrate` (run in one transaction, as a
 * migration would), and data sources for the migration user and the application role.
 */
export async function createTestSchema(
  prefix: string,
  migrate: (queryRunner: QueryRunner, schema: string, role: string) => Promise<void>,
  entities: DataSourceOptions['entities'] = [],
): Promise<TestSchema> {
  const database = await createTestDatabase(prefix);
  const schema = 'svc';
  const role = `${prefix}_app_${randomBytes(4).toString('hex')}`;
  const options = { url: database.url, schema, entities: entities as never, migrations: [] };
  const admin = new DataSource(serviceDataSourceOptions(options));
  await admin.initialize();
  await admin.query(`CREATE SCHEMA ${schema}`);
  const runner = admin.createQueryRunner();
  await runner.startTransaction();
  await migrate(runner, schema, role);
  await runner.commitTransaction();
  await runner.release();
  const opened: DataSource[] = [admin];
  return {
    url: database.url,
    schema,
    role,
    admin,
    async app({ poolSize } = {}) {
      const dataSource = new DataSource(
        serviceDataSourceOptions({ ...options, applicationRole: role, poolSize }),
      );
      await dataSource.initialize();
      opened.push(dataSource);
      return dataSource;
    },
    async close() {
      for (const ds of opened) if (ds.isInitialized) await ds.destroy();
      await database.drop();
      const client = new Client({ connectionString: process.env.TEST_DATABASE_URL });
      await client.connect();
      try {
        await client.query(`DROP ROLE IF EXISTS "${role}"`);
      } finally {
        await client.end();
      }
    },
  };
}

/** A login role that is a member of `role`: how production connects (never as a superuser). */
export async function createLoginMember(
  admin: DataSource,
  role: string,
): Promise<{ name: string; password: string }> {
  const name = `${role}_login`;
  const password = randomBytes(12).toString('hex');
  await admin.query(
    `CREATE ROLE "${name}" LOGIN PASSWORD '${password}' NOSUPERUSER NOBYPASSRLS IN ROLE "${role}"`,
  );
  return { name, password };
}

export async function dropRole(name: string): Promise<void> {
  const client = new Client({ connectionString: process.env.TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(`DROP ROLE IF EXISTS "${name}"`);
  } finally {
    await client.end();
  }
}

export function urlAs(url: string, user: string, password: string): string {
  const parsed = new URL(url);
  parsed.username = user;
  parsed.password = password;
  return parsed.toString();
}
