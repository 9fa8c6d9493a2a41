import type { Command } from '@safecity/security';

export interface ReadRegionalSop extends Command {
  /** The incident category, by name. */
  category: string;
  regionCode: string;
}
