import type { Command } from '@safecity/security';

/** Reference data: the command names only who asks. */
export type ListRegions = Command;
