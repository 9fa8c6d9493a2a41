import { DataSource, type DataSourceOptions, type MixedList, type EntitySchema } from 'typeorm';

export interface ServiceDataSourceOptions {
  /** PostgreSQL connection URL (`DATABASE_URL`). */
  url: string;
  /** The service's own schema, e.g. `camera_registry`. */
  schema: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
  /** Shown in pg_stat_activity, so a DBA can tell the services' connections apart. */
  applicationName?: string;
  poolSize?: number;
  /**
   * Role every connection switches to at session start (`-c role=...`), e.g. the one
   * `createApplicationRole` of @safecity/security makes. Without BYPASSRLS, row-level security
   * applies to it even when the connecting user is the embedded superuser; in production the login
   * user is a member of it. Leave it out for the data source that runs migrations.
   */
  applicationRole?: string;
}

/**
 * Every service talks to PostgreSQL only through its own schema. The search_path is pinned to it so
 * that raw SQL in repositories stays unqualified and can never reach another service's tables by
 * accident.
 */
export function serviceDataSourceOptions(options: ServiceDataSourceOptions): DataSourceOptions {
  const startup = [`-c search_path=${options.schema},public`];
  if (options.applicationRole !== undefined) {
    // Spliced into the startup packet, where a space or quote would inject further settings.
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(options.applicationRole)) {
      throw new RangeError(
        `applicationRole ${JSON.stringify(options.applicationRole)} is not a plain role name`,
      );
    }
    startup.push(`-c role=${options.applicationRole}`);
  }
  return {
    // Named after the schema: the services of the embedded default share one process.
    name: options.schema,
    type: 'postgres',
    url: options.url,
    schema: options.schema,
    entities: options.entities,
    migrations: options.migrations,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    // TypeORM's own logger prints statements with their parameters: personal data never goes there.
    logging: false,
    applicationName: options.applicationName ?? options.schema,
    extra: {
      max: options.poolSize ?? 10,
      options: startup.join(' '),
    },
  };
}

export function createServiceDataSource(options: ServiceDataSourceOptions): DataSource {
  return new DataSource(serviceDataSourceOptions(options));
}

/** Creates the schema if needed and applies pending migrations; returns the names applied. */
export async function migrateServiceSchema(dataSource: DataSource): Promise<string[]> {
  const schema = (dataSource.options as { schema?: string }).schema;
  if (!schema) throw new Error('data source has no schema');
  const initialised = dataSource.isInitialized;
  if (!initialised) await dataSource.initialize();
  try {
    // Two instances migrating at once would race on CREATE SCHEMA and the migrations table.
    await dataSource.query('SELECT pg_advisory_lock(hashtext($1))', [`migrate:${schema}`]);
    try {
      await dataSource.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      return applied.map((m) => m.name);
    } finally {
      await dataSource.query('SELECT pg_advisory_unlock(hashtext($1))', [`migrate:${schema}`]);
    }
  } finally {
    if (!initialised) await dataSource.destroy();
  }
}
