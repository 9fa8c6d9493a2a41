import type { Command } from '@safecity/security';

export interface GetDirectoryCamera extends Command {
  id: string;
}
