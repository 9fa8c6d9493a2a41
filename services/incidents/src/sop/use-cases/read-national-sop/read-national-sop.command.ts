import type { Command } from '@safecity/security';

export interface ReadNationalSop extends Command {
  /** The incident category, by name. */
  category: string;
}
