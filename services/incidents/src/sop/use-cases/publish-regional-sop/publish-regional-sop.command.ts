import type { Command } from '@safecity/security';
import type { SopDto } from '../../sop.dto';

export interface PublishRegionalSop extends Command {
  /** The incident category, by name. */
  category: string;
  regionCode: string;
  checklist: SopDto;
}
