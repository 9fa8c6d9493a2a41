import type { Command } from '@safecity/security';

export interface ReadSupervisorOverview extends Command {
  /** Narrows the overview to one of the caller's regions. */
  regionCode?: string;
  /** Why the supervisor reads it: recorded with every disclosure of a face match. */
  purpose: string;
}
