import type { Command } from '@safecity/security';

export interface RevokeIngestKey extends Command {
  videoSystemId: string;
  keyId: string;
}
