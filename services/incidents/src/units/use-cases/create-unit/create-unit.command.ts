import type { Command } from '@safecity/security';
import type { CreateUnitDto } from '../../unit.dto';

export interface CreateUnit extends Command {
  unit: CreateUnitDto;
}
