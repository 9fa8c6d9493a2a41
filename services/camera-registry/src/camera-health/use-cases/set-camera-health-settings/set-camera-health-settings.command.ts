import type { Command } from '@safecity/security';

export interface SetCameraHealthSettings extends Command {
  cameraId: string;
  /** Null inherits the video system's interval. */
  expectedIntervalSeconds: number | null;
}
