import type { Command } from '@safecity/security';
import type { IngestionMethodName, VideoSystemVendorName } from '../../video-system.entity';

export interface CreateVideoSystem extends Command {
  regionCode: string;
  name: string;
  vendor: VideoSystemVendorName;
  endpoint?: string;
  ingestionMethod: IngestionMethodName;
}
