import type { Command } from '@safecity/security';
import type { WatchlistKind } from '../../watchlist';

export interface ListWatchlists extends Command {
  query: { kind?: WatchlistKind; limit?: number; cursor?: string };
}
