import type { Command } from '@safecity/security';

export interface ListApiKeys extends Command {
  videoSystemId: string;
}
