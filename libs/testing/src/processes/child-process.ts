import type { ChildProcess } from 'node:child_process';

/** Whether a child process has ended: an exit code, or a signal such as kill -9's. */
export function hasEnded(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** kill -9, as a crashed pod: resolves once the process is gone (at once if it already was). */
export function killHard(child: ChildProcess | null): Promise<void> {
  if (!child || hasEnded(child)) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

/** SIGTERM for a graceful shutdown, SIGKILL if it is still running after `graceMs`. */
export function stopGracefully(child: ChildProcess | null, graceMs = 15_000): Promise<void> {
  if (!child || hasEnded(child)) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
