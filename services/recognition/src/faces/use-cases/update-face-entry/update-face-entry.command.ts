import type { Command } from '@safecity/security';
import type { FaceEntryFieldsDto } from '../../face-entry.dto';

export interface UpdateFaceEntry extends Command {
  id: string;
  fields: FaceEntryFieldsDto;
}
