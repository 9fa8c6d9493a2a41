import type { Command } from '@safecity/security';

export interface FindCoveringOperationsCenters extends Command {
  lat: number;
  lon: number;
}
