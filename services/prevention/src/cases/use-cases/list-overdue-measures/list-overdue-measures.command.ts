import type { Command } from '@safecity/security';

export interface ListOverdueMeasures extends Command {
  /** One region of the caller's; all of them when absent. */
  regionCode?: string;
}
