/** The PostgreSQL schema this service owns; also the name of its TypeORM data source. */
export const CAMERA_REGISTRY_SCHEMA = 'camera_registry';
