/** The PostgreSQL schema this service owns; also the name of its TypeORM data source. */
export const RECOGNITION_SCHEMA = 'recognition';

/** The role the service's queries run as: no BYPASSRLS, so row-level security applies to it. */
export const RECOGNITION_APP_ROLE = 'recognition_app';
