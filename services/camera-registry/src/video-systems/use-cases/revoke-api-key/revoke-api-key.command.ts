import type { Command } from '@safecity/security';

export interface RevokeApiKey extends Command {
  videoSystemId: string;
  keyId: string;
}
