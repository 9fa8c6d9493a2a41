import type { Command } from '@safecity/security';
import type { UpdateCaseDto } from '../../case.dto';

export interface UpdateCase extends Command {
  id: string;
  /** District, category, legal basis, agencies, officer, review interval: what is given changes. */
  changes: UpdateCaseDto;
  /** Why the caller reads the person's or family's data back (`X-Purpose`). */
  purpose?: string;
}
