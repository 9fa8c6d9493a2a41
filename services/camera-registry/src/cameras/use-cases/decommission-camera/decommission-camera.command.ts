import type { Command } from '@safecity/security';

export interface DecommissionCamera extends Command {
  id: string;
}
