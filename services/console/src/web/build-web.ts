import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';

const CONSOLE_DIR = resolve(__dirname, '../..');
const REPOSITORY = resolve(CONSOLE_DIR, '../..');
export const WEB_SOURCES = join(CONSOLE_DIR, 'web');
export const WEB_ROOT = join(CONSOLE_DIR, 'dist', 'web');
const STAMP = '.sources-hash';

/** A hash of everything the build reads: the application's sources and the locked dependencies. */
export function webSourcesHash(): string {
  const hash = createHash('sha256');
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile())
        hash.update(relative(WEB_SOURCES, path)).update('\0').update(readFileSync(path));
    }
  };
  walk(WEB_SOURCES);
  hash.update(readFileSync(join(REPOSITORY, 'package-lock.json')));
  return hash.digest('hex');
}

export function webAppIsCurrent(hash = webSourcesHash()): boolean {
  const stamp = join(WEB_ROOT, STAMP);
  return (
    existsSync(join(WEB_ROOT, 'index.html')) && existsSync(stamp) && readFileSync(stamp, 'utf8') === hash
  );
}

let building: Promise<{ built: boolean; ms: number }> | null = null;

/**
 * Builds the application with Vite unless the build on disk was made from the same sources (so
 * `npm start` pays for a build only after the sources changed). The build goes to a directory of
 * its own and is moved into place when complete: a console serving meanwhile, or a second process
 * building at the same time, never sees half a build.
 */
export function ensureWebAppBuilt(): Promise<{ built: boolean; ms: number }> {
  building ??= build().finally(() => (building = null));
  return building;
}

async function build(): Promise<{ built: boolean; ms: number }> {
  const started = performance.now();
  const hash = webSourcesHash();
  if (webAppIsCurrent(hash)) return { built: false, ms: 0 };
  const outDir = `${WEB_ROOT}.${process.pid}.${Date.now().toString(36)}`;
  await mkdir(join(CONSOLE_DIR, 'dist'), { recursive: true });
  const vite = join(REPOSITORY, 'node_modules', 'vite', 'bin', 'vite.js');
  await new Promise<void>((resolvePromise, reject) => {
    execFile(
      process.execPath,
      [
        vite,
        'build',
        '--config',
        join(WEB_SOURCES, 'vite.config.ts'),
        '--outDir',
        outDir,
        '--emptyOutDir',
        '--logLevel',
        'warn',
      ],
      // A production build whatever the caller's NODE_ENV (jest sets `test`): React's development
      // build is several times slower.
      {
        cwd: WEB_SOURCES,
        timeout: 300_000,
        maxBuffer: 16 * 1024 * 1024,
        env: { ...process.env, NODE_ENV: 'production' },
      },
      (error, _stdout, stderr) =>
        error
          ? reject(new Error(`the console's web application did not build: ${stderr || error.message}`))
          : resolvePromise(),
    );
  });
  await writeFile(join(outDir, STAMP), hash);
  // Another process may have finished the same build first: then its copy stays.
  if (!webAppIsCurrent(hash)) {
    const old = `${WEB_ROOT}.old.${process.pid}`;
    if (existsSync(WEB_ROOT)) await rename(WEB_ROOT, old).catch(() => undefined);
    await rename(outDir, WEB_ROOT).catch(async (error: unknown) => {
      if (!webAppIsCurrent(hash)) throw error;
    });
    await rm(old, { recursive: true, force: true });
  }
  await rm(outDir, { recursive: true, force: true });
  return { built: true, ms: Math.round(performance.now() - started) };
}
