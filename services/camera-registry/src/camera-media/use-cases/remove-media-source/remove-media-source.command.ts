import type { Command } from '@safecity/security';

export interface RemoveMediaSource extends Command {
  cameraId: string;
}
