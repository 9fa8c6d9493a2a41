import type { Command } from '@safecity/security';

export interface ListFaceSubjects extends Command {
  watchlistId: string;
  query: { limit?: number; cursor?: string };
  /** Why the subjects are read (the `X-Purpose` of the request): each one read is audited with it. */
  purpose: string;
}
