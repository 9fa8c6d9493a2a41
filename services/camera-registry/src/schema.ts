/** The PostgreSQL schema this service owns; also the name of its TypeORM data source. */
export const CAMERA_REGISTRY_SCHEMA = 'camera_registry';

/** The role the service's queries run as: no BYPASSRLS, so row-level security applies to it. */
export const CAMERA_REGISTRY_APP_ROLE = 'camera_registry_app';
