import type { Command } from '@safecity/security';
import type { UpdateWatchlistDto } from '../../watchlist.dto';

export interface UpdateWatchlist extends Command {
  id: string;
  fields: UpdateWatchlistDto;
}
