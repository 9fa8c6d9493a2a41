import type { Command } from '@safecity/security';
import type { ListUnitsQuery } from '../../unit.dto';

export interface ListUnits extends Command {
  /** By status and region; nearest first around a point, when one is given. */
  query: ListUnitsQuery;
}
