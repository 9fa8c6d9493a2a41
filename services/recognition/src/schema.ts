/** The PostgreSQL schema this service owns; also the name of its TypeORM data source. */
export const RECOGNITION_SCHEMA = 'recognition';
