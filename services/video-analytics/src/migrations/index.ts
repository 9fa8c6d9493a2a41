import { ApplicationRole1765040100000 } from './1765040100000-application-role';
import { InitialSchema1765040000000 } from './1765040000000-initial-schema';

/** In order of application. */
export const videoAnalyticsMigrations = [InitialSchema1765040000000, ApplicationRole1765040100000];
