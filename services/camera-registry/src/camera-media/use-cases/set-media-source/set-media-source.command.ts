import type { Command } from '@safecity/security';
import type { CameraMediaSourceDto } from '../../camera-media-source.dto';

export interface SetMediaSource extends Command {
  cameraId: string;
  /** Where and how to read the camera; credentials absent keep the stored ones, null removes them. */
  source: CameraMediaSourceDto;
}
