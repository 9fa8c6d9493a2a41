import type { Command } from '@safecity/security';

export interface GetMediaSource extends Command {
  cameraId: string;
}
