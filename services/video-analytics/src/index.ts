export * from './bootstrap';
export { VIDEO_ANALYTICS_SERVICE } from './video-analytics.module';
