import type { Command } from '@safecity/security';

export interface GetBehaviourRule extends Command {
  id: string;
}
