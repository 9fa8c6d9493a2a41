import type { Command } from '@safecity/security';

export interface ListDistricts extends Command {
  regionCode: string;
}
