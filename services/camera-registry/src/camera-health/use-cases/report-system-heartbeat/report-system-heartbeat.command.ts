import type { Command } from '@safecity/security';
import type { SystemHeartbeatDto } from '../../heartbeat.dto';

export interface ReportSystemHeartbeat extends Command {
  videoSystemId: string;
  /** When it was observed and the cameras the system sees now. */
  heartbeat: SystemHeartbeatDto;
}
