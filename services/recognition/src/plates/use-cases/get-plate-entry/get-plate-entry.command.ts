import type { Command } from '@safecity/security';

export interface GetPlateEntry extends Command {
  id: string;
  /** Why the entry is read (the `X-Purpose` of the request), audited. */
  purpose: string;
}
