import type { Command } from '@safecity/security';
import type { LinkIncidentDto } from '../../case.dto';

export interface LinkIncident extends Command {
  /** The case. */
  id: string;
  /** The incident of the case's region, and why it belongs to the case. */
  link: LinkIncidentDto;
  /** Why the caller reads the person's or family's data back (`X-Purpose`). */
  purpose?: string;
}
