import type { RegionScope } from '@safecity/security';

/** The regions a suggestion query is limited to; null for a caller of every region. */
export const regionsOf = (scope: RegionScope): string[] | null => (scope.all ? null : [...scope.regions]);

/** A suggestion that was already decided cannot be decided again. */
export const ALREADY_DECIDED = (status: string) => `the suggestion was already ${status}`;
