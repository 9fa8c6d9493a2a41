import type { Command } from '@safecity/security';

export interface BatchGetIncidents extends Command {
  /** Distinct ids, in the order the answer keeps. */
  ids: readonly string[];
  /** Why the caller reads them: recorded with every disclosure of a face match. */
  purpose: string;
}
