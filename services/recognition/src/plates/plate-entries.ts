import type { RegionScope } from '@safecity/security';
import { NotFoundError } from '@safecity/service-kit';
import type { EntityManager } from 'typeorm';
import { regionsOf } from '../watchlists/watchlist-changes';
import type { ListedPlate, PlateHotlistRepository } from './plate-hotlist.repository';

/** The entry, unless it does not exist or lies outside the scope (answered alike). */
export async function plateEntryOf(
  entries: PlateHotlistRepository,
  m: EntityManager,
  scope: RegionScope,
  id: string,
): Promise<ListedPlate> {
  const entry = await entries.find(m, regionsOf(scope), id);
  if (!entry) throw new NotFoundError(`hotlist entry ${id} not found`);
  return entry;
}
