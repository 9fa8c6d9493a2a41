export { CameraHealthModule } from './camera-health.module';
export type { CameraHealthOptions, Clock, FlappingRule } from './health-settings';
export { OfflineDetector, type DetectorRun } from './offline-detector';
