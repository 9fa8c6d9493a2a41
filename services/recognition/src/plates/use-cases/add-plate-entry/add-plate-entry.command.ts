import type { Command } from '@safecity/security';
import type { CreatePlateEntryDto } from '../../plate-entry.dto';

export interface AddPlateEntry extends Command {
  watchlistId: string;
  entry: CreatePlateEntryDto;
}
