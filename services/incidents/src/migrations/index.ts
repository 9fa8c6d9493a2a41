import { InitialSchema1764000000000 } from './1764000000000-initial-schema';
import { Security1764000100000 } from './1764000100000-security';
import { CitizenReports1764000200000 } from './1764000200000-citizen-reports';

/** In order of application. */
export const incidentsMigrations = [
  InitialSchema1764000000000,
  Security1764000100000,
  CitizenReports1764000200000,
];
