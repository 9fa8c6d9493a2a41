import type { Command } from '@safecity/security';

export interface RotateApiKey extends Command {
  videoSystemId: string;
  keyId: string;
  /** Hours the old key keeps working; the store's default (24) when absent. */
  overlapHours?: number;
}
