import { InitialSchema1765000000000 } from './1765000000000-initial-schema';
import { Security1765000100000 } from './1765000100000-security';
import { ConfirmedIncidents1765000600000 } from './1765000600000-confirmed-incidents';

/** In order of application. */
export const preventionMigrations = [
  InitialSchema1765000000000,
  Security1765000100000,
  ConfirmedIncidents1765000600000,
];
