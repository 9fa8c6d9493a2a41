import { InitialSchema1764000000000 } from './1764000000000-initial-schema';
import { CameraHealth1764200000000 } from './1764200000000-camera-health';
import { RegionsDistrictsSearch1764300000000 } from './1764300000000-regions-districts-search';
import { Security1764400000000 } from './1764400000000-security';
import { LeakproofPointInBox1764500000000 } from './1764500000000-leakproof-point-in-box';
import { CameraMediaSources1765020000000 } from './1765020000000-camera-media-sources';

/** In order of application. */
export const cameraRegistryMigrations = [
  InitialSchema1764000000000,
  CameraHealth1764200000000,
  RegionsDistrictsSearch1764300000000,
  Security1764400000000,
  LeakproofPointInBox1764500000000,
  CameraMediaSources1765020000000,
];
