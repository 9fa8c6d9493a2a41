import type { Command } from '@safecity/security';
import type { RegisterCameraDto } from '../../dto/camera.dto';

export interface RegisterCamera extends Command {
  /** The video system, the camera's id in it, and the editable fields. */
  camera: RegisterCameraDto;
}
