export * from './bootstrap';
export { VIDEO_ANALYTICS_SERVICE } from './video-analytics.module';
export type { CameraSource } from './sources/camera-source';
export type { FrameAnalyser } from './watch/camera-watcher';
