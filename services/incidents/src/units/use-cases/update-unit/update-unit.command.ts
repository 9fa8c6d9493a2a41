import type { Command } from '@safecity/security';
import type { UpdateUnitDto } from '../../unit.dto';

export interface UpdateUnit extends Command {
  id: string;
  /** Status and position as the crew, or its vehicle's tracker, reports them. */
  report: UpdateUnitDto;
}
