import type { Command } from '@safecity/security';

export interface ReadTriggerSettings extends Command {
  /** A region of the caller's. */
  regionCode: string;
}
