import type { Command } from '@safecity/security';
import type { UpdateMeasureDto } from '../../case.dto';

export interface UpdateMeasure extends Command {
  /** The case. */
  id: string;
  measureId: string;
  /** Status, result, completion time, due date, assignee: what is given changes. */
  changes: UpdateMeasureDto;
  /** Why the caller reads the person's or family's data back (`X-Purpose`). */
  purpose?: string;
}
