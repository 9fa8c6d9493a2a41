import type { Command } from '@safecity/security';
import type { SopDto } from '../../sop.dto';

export interface PublishNationalSop extends Command {
  /** The incident category, by name. */
  category: string;
  checklist: SopDto;
}
