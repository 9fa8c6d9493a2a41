import type { Command } from '@safecity/security';
import type { EnrolTemplateDto } from '../../face-entry.dto';

export interface AddFaceTemplate extends Command {
  entryId: string;
  template: EnrolTemplateDto;
}
