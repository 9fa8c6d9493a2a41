import type { Command } from '@safecity/security';
import type { PlateEntryFieldsDto } from '../../plate-entry.dto';

export interface UpdatePlateEntry extends Command {
  id: string;
  fields: PlateEntryFieldsDto;
}
