/**
 * Applies a service's pending migrations to the database in DATABASE_URL:
 *   npm run migrate -- camera-registry
 *   npm run migrate -- all
 */
import { migrateCameraRegistry } from '@safecity/camera-registry';
import { migrateRecognition } from '@safecity/recognition';
import { migrateIncidents } from '@safecity/incidents';
import { migratePrevention } from '@safecity/prevention';
import { migrateVideoAnalytics } from '@safecity/video-analytics';

const MIGRATORS: Record<string, (url: string) => Promise<string[]>> = {
  'camera-registry': migrateCameraRegistry,
  recognition: migrateRecognition,
  incidents: migrateIncidents,
  prevention: migratePrevention,
  'video-analytics': migrateVideoAnalytics,
};

async function main() {
  const target = process.argv[2];
  const url = process.env.DATABASE_URL;
  if (!target || (target !== 'all' && !MIGRATORS[target])) {
    throw new Error(`usage: npm run migrate -- <${[...Object.keys(MIGRATORS), 'all'].join('|')}>`);
  }
  if (!url) throw new Error('DATABASE_URL is not set');
  for (const name of target === 'all' ? Object.keys(MIGRATORS) : [target]) {
    const applied = await MIGRATORS[name](url);
    process.stdout.write(`${name}: ${applied.length ? `applied ${applied.join(', ')}` : 'up to date'}\n`);
  }
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
