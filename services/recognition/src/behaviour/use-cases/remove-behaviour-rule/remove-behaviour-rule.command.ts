import type { Command } from '@safecity/security';

export interface RemoveBehaviourRule extends Command {
  id: string;
}
