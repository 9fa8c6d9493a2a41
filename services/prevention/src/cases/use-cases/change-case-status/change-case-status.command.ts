import type { Command } from '@safecity/security';
import type { ChangeStatusDto } from '../../case.dto';

export interface ChangeCaseStatus extends Command {
  id: string;
  /** The new status, the outcome when closing, and a note. */
  change: ChangeStatusDto;
  /** Why the caller reads the person's or family's data back (`X-Purpose`). */
  purpose?: string;
}
