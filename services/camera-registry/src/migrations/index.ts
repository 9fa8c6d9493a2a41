import { InitialSchema1764000000000 } from './1764000000000-initial-schema';

/** In order of application. */
export const cameraRegistryMigrations = [InitialSchema1764000000000];
