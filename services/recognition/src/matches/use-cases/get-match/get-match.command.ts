import type { Command } from '@safecity/security';

export interface GetMatch extends Command {
  id: string;
  /** Why the match is looked at (`X-Purpose`, or the gRPC default), audited. */
  purpose: string;
}
