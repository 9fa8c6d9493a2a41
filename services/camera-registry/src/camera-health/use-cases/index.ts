import { ReadCameraHealthUseCase } from './read-camera-health/read-camera-health.use-case';
import { ReadCameraUptimeUseCase } from './read-camera-uptime/read-camera-uptime.use-case';
import { ReadVideoSystemHealthUseCase } from './read-video-system-health/read-video-system-health.use-case';
import { RecordHeartbeatEventsUseCase } from './record-heartbeat-events/record-heartbeat-events.use-case';
import { ReportCameraHeartbeatUseCase } from './report-camera-heartbeat/report-camera-heartbeat.use-case';
import { ReportSystemHeartbeatUseCase } from './report-system-heartbeat/report-system-heartbeat.use-case';
import { SetCameraHealthSettingsUseCase } from './set-camera-health-settings/set-camera-health-settings.use-case';
import { SetVideoSystemHealthSettingsUseCase } from './set-video-system-health-settings/set-video-system-health-settings.use-case';

export {
  ReadCameraHealthUseCase,
  ReadCameraUptimeUseCase,
  ReadVideoSystemHealthUseCase,
  RecordHeartbeatEventsUseCase,
  ReportCameraHeartbeatUseCase,
  ReportSystemHeartbeatUseCase,
  SetCameraHealthSettingsUseCase,
  SetVideoSystemHealthSettingsUseCase,
};

/** Every operation on camera and video-system health. */
export const CAMERA_HEALTH_USE_CASES = [
  ReportSystemHeartbeatUseCase,
  ReportCameraHeartbeatUseCase,
  RecordHeartbeatEventsUseCase,
  ReadCameraHealthUseCase,
  ReadCameraUptimeUseCase,
  ReadVideoSystemHealthUseCase,
  SetCameraHealthSettingsUseCase,
  SetVideoSystemHealthSettingsUseCase,
];
