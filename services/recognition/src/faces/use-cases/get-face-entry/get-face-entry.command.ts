import type { Command } from '@safecity/security';

export interface GetFaceEntry extends Command {
  id: string;
  /** Why the subject is read (the `X-Purpose` of the request), audited. */
  purpose: string;
}
