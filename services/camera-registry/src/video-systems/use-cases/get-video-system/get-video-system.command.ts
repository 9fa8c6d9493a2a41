import type { Command } from '@safecity/security';

export interface GetVideoSystem extends Command {
  id: string;
}
