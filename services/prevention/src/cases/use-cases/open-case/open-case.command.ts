import type { Command } from '@safecity/security';
import type { OpenCaseDto } from '../../case.dto';

export interface OpenCase extends Command {
  /** The subject (new, or a known one by id), the case's fields and an optional first assessment. */
  case: OpenCaseDto;
  /** Why the caller reads a known person's or family's data back (`X-Purpose`). */
  purpose?: string;
}
