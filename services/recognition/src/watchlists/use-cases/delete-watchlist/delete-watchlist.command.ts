import type { Command } from '@safecity/security';

export interface DeleteWatchlist extends Command {
  id: string;
  /** Why the list and its entries are erased (the `X-Purpose` of the request). */
  purpose: string;
}
