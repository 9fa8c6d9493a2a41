import type { Command } from '@safecity/security';

export interface ListOperationsCenters extends Command {
  /** Only this region's centers (within the caller's). */
  regionCode?: string;
}
