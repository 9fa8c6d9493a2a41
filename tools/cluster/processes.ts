import { spawn, type SpawnOptions } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { freeLoopbackPort } from '@safecity/persistence';

/**
 * Processes of the local topology: each started detached, in its own process group, with its
 * output appended to its own log file, so that it outlives the command that started it and is
 * stopped later from the pid kept in the cluster's state.
 */
export function spawnDetached(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; log: string; uid?: number; gid?: number },
): number {
  const out = openSync(options.log, 'a');
  try {
    const spawnOptions: SpawnOptions = {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ['ignore', out, out],
      ...(options.uid !== undefined ? { uid: options.uid, gid: options.gid } : {}),
    };
    const child = spawn(command, args, spawnOptions);
    child.on('error', () => undefined);
    child.unref();
    if (child.pid === undefined) throw new Error(`could not start ${command}`);
    return child.pid;
  } finally {
    closeSync(out);
  }
}

/**
 * Whether `pid` is alive and still the process we started: its command line must contain
 * `marker` (a pid kept in a state file may since have been given to another process).
 */
export function isAlive(pid: number | undefined, marker: string): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
    if (!cmdline.includes(marker)) return false;
    // A killed child of a live parent stays a zombie until reaped; it is not running.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) Z /.test(stat);
  } catch {
    // No /proc (not Linux): the signal check is all there is.
    return !existsSync('/proc/self');
  }
}

/** Signals the process group the process leads (it was started detached), else the process. */
export function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(-pid, sig);
  } catch {
    try {
      process.kill(pid, sig);
    } catch {
      // Already gone.
    }
  }
}

/** Sends `sig`, then SIGKILL after `graceMs`; resolves once the process is gone. */
export async function terminate(pid: number, marker: string, sig: NodeJS.Signals, graceMs: number) {
  if (!isAlive(pid, marker)) return;
  signal(pid, sig);
  if (await waitFor(() => !isAlive(pid, marker), graceMs)) return;
  signal(pid, 'SIGKILL');
  if (!(await waitFor(() => !isAlive(pid, marker), 10_000)))
    throw new Error(`pid ${pid} did not exit after SIGKILL`);
}

export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs: number, everyMs = 100) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return true;
    if (Date.now() >= deadline) return false;
    await sleep(everyMs);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The last `lines` lines of a log file, for a failure message. */
export function tail(file: string, lines = 40): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * Ports below the kernel's ephemeral range and away from the fixed ones `npm start`, the Kafka
 * script and PostgreSQL use (3001–3006, 5005x, 9092/9093, 5432), so the topology can run beside
 * them and beside tests, and a port freed by a killed process is not handed out as some client's
 * source port before the process returns.
 */
export async function freePorts(count: number, taken: Set<number> = new Set()): Promise<number[]> {
  const ports: number[] = [];
  while (ports.length < count) ports.push(await freeLoopbackPort([...taken]));
  return ports;
}
