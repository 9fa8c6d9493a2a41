import type { Command } from '@safecity/security';

export interface BatchGetCameras extends Command {
  /** Distinct camera ids, at most {@link MAX_CAMERAS_PER_BATCH}. */
  ids: string[];
}

export const MAX_CAMERAS_PER_BATCH = 1_000;
