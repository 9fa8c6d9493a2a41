import type { Command } from '@safecity/security';

export interface ReadCameraUptime extends Command {
  cameraId: string;
  /** Almaty calendar dates YYYY-MM-DD, inclusive; the last 7 days to today when absent. */
  from?: string;
  to?: string;
}
