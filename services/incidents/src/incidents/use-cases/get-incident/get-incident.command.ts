import type { Command } from '@safecity/security';

export interface GetIncident extends Command {
  id: string;
  /** Why the caller reads it: recorded with every disclosure of a face match. */
  purpose: string;
}
