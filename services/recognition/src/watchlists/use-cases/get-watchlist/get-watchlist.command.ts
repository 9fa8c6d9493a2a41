import type { Command } from '@safecity/security';

export interface GetWatchlist extends Command {
  id: string;
}
