import type { Command } from '@safecity/security';
import type { CameraFieldsDto } from '../../dto/camera.dto';

export interface UpdateCamera extends Command {
  id: string;
  /** The editable fields, all of them (a replacement, not a merge). */
  fields: CameraFieldsDto;
}
