/**
 * `npm run bench -- <name> [options]`: runs one benchmark and prints its figures beside the
 * baseline it measures in the same run.
 */
import { spawnSync } from 'node:child_process';
import { v8FlagsOf } from '../tools/node-flags';

const BENCHMARKS: Record<string, () => Promise<{ run(argv: string[]): Promise<void> }>> = {
  messaging: () => import('./messaging.bench'),
  'kafka-protocol': () => import('./kafka-protocol.bench'),
  'camera-registry': () => import('./camera-registry.bench'),
  'camera-import': () => import('./camera-import.bench'),
  'plate-matcher': () => import('./plate-matcher.bench'),
  'prevention-forecast': () => import('./prevention-forecast.bench'),
  'face-matcher': () => import('./face-matcher.bench'),
  incidents: () => import('./incidents.bench'),
  recognition: () => import('./recognition-ingest'),
  console: () => import('./console.bench'),
  analytics: () => import('./analytics.bench'),
};

/** Benchmarks of one service's code, which run with that service's own V8 flags. */
const SERVICE_MEASURED: Record<string, string> = { analytics: 'video-analytics' };

async function main() {
  const [name, ...argv] = process.argv.slice(2);
  const load = name ? BENCHMARKS[name] : undefined;
  if (!load) {
    process.stderr.write(`usage: npm run bench -- <${Object.keys(BENCHMARKS).join('|')}> [options]\n`);
    process.exit(2);
  }
  const missing = v8FlagsOf(SERVICE_MEASURED[name!] ?? '').filter((flag) => !process.execArgv.includes(flag));
  if (missing.length > 0) {
    // Heap sizes are fixed when the process starts: run again with them.
    const again = spawnSync(process.execPath, [...process.execArgv, ...missing, ...process.argv.slice(1)], {
      stdio: 'inherit',
    });
    process.exit(again.status ?? 1);
  }
  await (await load()).run(argv);
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
