import type { Command } from '@safecity/security';

export interface SetVideoSystemHealthSettings extends Command {
  videoSystemId: string;
  /** The default interval of the system's cameras. */
  heartbeatIntervalSeconds: number;
}
