import type { Command } from '@safecity/security';

export interface CompleteSopStep extends Command {
  incidentId: string;
  stepId: string;
  /** What the person noted with the step ('' for nothing). */
  note: string;
}
