import type { Command } from '@safecity/security';
import type { CreateWatchlistDto } from '../../watchlist.dto';

export interface CreateWatchlist extends Command {
  /** Its kind, region, name, legal basis and owner (faces: category and threshold). */
  watchlist: CreateWatchlistDto;
}
