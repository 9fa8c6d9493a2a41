/**
 * Prints, per service, the environment variables its config class reads (as JSON), for
 * deploy/helm/check.sh to hold the chart's env to: a variable the chart sets that no config class
 * reads is a misspelling or a setting that no longer exists. `npm run cluster` holds the
 * environment it gives each process to the same list.
 *
 *   node -r @swc-node/register tools/service-env.ts
 */
import 'reflect-metadata';
import { getMetadataStorage } from 'class-validator';
import { CameraRegistryConfig } from '../services/camera-registry/src/config';
import { ConsoleConfig } from '../services/console/src/config';
import { IncidentsConfig } from '../services/incidents/src/config';
import { PreventionConfig } from '../services/prevention/src/config';
import { RecognitionConfig } from '../services/recognition/src/config';
import { VideoAnalyticsConfig } from '../services/video-analytics/src/config';

const CONFIG_CLASSES: Record<string, new () => object> = {
  'camera-registry': CameraRegistryConfig,
  recognition: RecognitionConfig,
  incidents: IncidentsConfig,
  prevention: PreventionConfig,
  'video-analytics': VideoAnalyticsConfig,
  console: ConsoleConfig,
};

/** Every property of the class (and its base classes) that carries a validation decorator. */
function settingsOf(type: new () => object): string[] {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(type, '', true, false);
  return [...new Set(metadata.map((m) => m.propertyName))].sort();
}

/** The environment variables each service's config class reads, by service name. */
export function serviceSettings(): Record<string, string[]> {
  return Object.fromEntries(Object.entries(CONFIG_CLASSES).map(([name, type]) => [name, settingsOf(type)]));
}

if (require.main === module) {
  process.stdout.write(`${JSON.stringify(serviceSettings(), null, 2)}\n`);
}
