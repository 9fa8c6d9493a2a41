import type { Command } from '@safecity/security';

export interface GetBehaviourAlert extends Command {
  id: string;
}
