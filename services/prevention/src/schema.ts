/** The PostgreSQL schema this service owns; also the name of its TypeORM data source. */
export const PREVENTION_SCHEMA = 'prevention';

/** The role the service's queries run as: no BYPASSRLS, so row-level security applies to it. */
export const PREVENTION_APP_ROLE = 'prevention_app';
