import type { Command } from '@safecity/security';

export interface ListCasesByIncident extends Command {
  incidentId: string;
  /** Why the cases are read; recorded with each case read. */
  purpose: string;
}
