import type { Command } from '@safecity/security';
import type { CameraHeartbeatDto } from '../../heartbeat.dto';

export interface ReportCameraHeartbeat extends Command {
  cameraId: string;
  heartbeat: CameraHeartbeatDto;
}
