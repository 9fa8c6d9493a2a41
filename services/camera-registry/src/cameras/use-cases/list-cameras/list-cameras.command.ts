import type { Command } from '@safecity/security';
import type { ListCamerasQueryDto } from '../../dto/camera.dto';

export interface ListCameras extends Command {
  /** Filters (region, district, box, radius, capabilities, tags, status, text) and the page. */
  query: ListCamerasQueryDto;
}
