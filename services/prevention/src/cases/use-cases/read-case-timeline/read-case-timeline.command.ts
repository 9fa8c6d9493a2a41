import type { Command } from '@safecity/security';

export interface ReadCaseTimeline extends Command {
  id: string;
  /** Why the caller reads (`X-Purpose`); required for a person's or family's case. */
  purpose?: string;
}
