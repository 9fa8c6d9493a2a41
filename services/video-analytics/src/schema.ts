/** The PostgreSQL schema this service owns; also the name of its TypeORM data source. */
export const VIDEO_ANALYTICS_SCHEMA = 'video_analytics';

/** The role runtime connections act as: the service's own tables, nothing else, no DDL. */
export const VIDEO_ANALYTICS_APP_ROLE = 'video_analytics_app';
