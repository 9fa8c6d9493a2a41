import type { Command } from '@safecity/security';

export interface RemoveFaceEntry extends Command {
  id: string;
  /** Why the subject is erased (the `X-Purpose` of the request), audited. */
  purpose: string;
}
