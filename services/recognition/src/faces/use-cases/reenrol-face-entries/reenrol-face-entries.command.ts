import type { Command } from '@safecity/security';

/** After a change of face model, by a national administrator. */
export type ReenrolFaceEntries = Command;
