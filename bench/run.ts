/**
 * `npm run bench -- <name> [options]`: runs one benchmark and prints its figures beside the
 * baseline it measures in the same run.
 */
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

async function main() {
  const [name, ...argv] = process.argv.slice(2);
  const load = name ? BENCHMARKS[name] : undefined;
  if (!load) {
    process.stderr.write(`usage: npm run bench -- <${Object.keys(BENCHMARKS).join('|')}> [options]\n`);
    process.exit(2);
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
