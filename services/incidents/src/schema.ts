/** The PostgreSQL schema this service owns; also the name of its TypeORM data source. */
export const INCIDENTS_SCHEMA = 'incidents';

/** The role the service's queries run as: no BYPASSRLS, so row-level security applies to it. */
export const INCIDENTS_APP_ROLE = 'incidents_app';
