import type { Command } from '@safecity/security';

export interface GetDetection extends Command {
  id: string;
}
