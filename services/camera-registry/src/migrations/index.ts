import { InitialSchema1764000000000 } from './1764000000000-initial-schema';
import { RegionsDistrictsSearch1764300000000 } from './1764300000000-regions-districts-search';

/** In order of application. */
export const cameraRegistryMigrations = [InitialSchema1764000000000, RegionsDistrictsSearch1764300000000];
