import type { Command } from '@safecity/security';
import type { BoundingBox } from '../../../regions/regions.repository';

export interface CreateOperationsCenter extends Command {
  name: string;
  regionCode: string;
  districtCode?: string;
  /** The area it covers; its district's (or region's) envelope when absent. */
  coverage?: BoundingBox;
}
