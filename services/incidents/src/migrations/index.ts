import { InitialSchema1764000000000 } from './1764000000000-initial-schema';
import { Security1764000100000 } from './1764000100000-security';

/** In order of application. */
export const incidentsMigrations = [InitialSchema1764000000000, Security1764000100000];
