import type { Command } from '@safecity/security';

export interface IssueApiKey extends Command {
  videoSystemId: string;
  label?: string;
}
