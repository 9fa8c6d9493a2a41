import type { Command } from '@safecity/security';

export interface ListIngestKeys extends Command {
  videoSystemId: string;
}
