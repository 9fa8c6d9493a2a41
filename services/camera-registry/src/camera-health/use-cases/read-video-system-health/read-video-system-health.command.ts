import type { Command } from '@safecity/security';

export interface ReadVideoSystemHealth extends Command {
  videoSystemId: string;
}
