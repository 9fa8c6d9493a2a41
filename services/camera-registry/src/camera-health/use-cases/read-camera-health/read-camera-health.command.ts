import type { Command } from '@safecity/security';

export interface ReadCameraHealth extends Command {
  cameraId: string;
}
