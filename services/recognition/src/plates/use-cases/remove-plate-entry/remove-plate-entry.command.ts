import type { Command } from '@safecity/security';

export interface RemovePlateEntry extends Command {
  id: string;
  /** Why the entry is erased (the `X-Purpose` of the request), audited. */
  purpose: string;
}
