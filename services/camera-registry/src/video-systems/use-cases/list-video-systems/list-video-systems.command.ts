import type { Command } from '@safecity/security';

export interface ListVideoSystems extends Command {
  /** Only this region's systems (within the caller's). */
  regionCode?: string;
}
