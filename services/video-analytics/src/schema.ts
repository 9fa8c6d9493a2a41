/** The PostgreSQL schema this service owns; also the name of its TypeORM data source. */
export const VIDEO_ANALYTICS_SCHEMA = 'video_analytics';
