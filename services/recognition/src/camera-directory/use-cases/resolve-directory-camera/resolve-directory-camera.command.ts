import type { Command } from '@safecity/security';

export interface ResolveDirectoryCamera extends Command {
  videoSystemId: string;
  /** The camera's id in its video system, as the vendor's events name it. */
  externalId: string;
}
