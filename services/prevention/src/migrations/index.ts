import { InitialSchema1765000000000 } from './1765000000000-initial-schema';
import { Security1765000100000 } from './1765000100000-security';

/** In order of application. */
export const preventionMigrations = [InitialSchema1765000000000, Security1765000100000];
