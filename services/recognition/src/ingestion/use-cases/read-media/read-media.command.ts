import type { Command } from '@safecity/security';

export interface ReadMedia extends Command {
  id: string;
  /** Why the picture is looked at (`X-Purpose`), audited. */
  purpose: string;
}
