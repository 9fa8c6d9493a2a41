import type { Command } from '@safecity/security';

export interface GetOperationsCenter extends Command {
  id: string;
}
