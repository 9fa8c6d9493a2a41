import type { Command } from '@safecity/security';

export interface GetCamera extends Command {
  id: string;
}
