import type { Command } from '@safecity/security';

export interface ResolveExternalCamera extends Command {
  videoSystemId: string;
  /** The id the video system itself gives the camera. */
  externalId: string;
}
