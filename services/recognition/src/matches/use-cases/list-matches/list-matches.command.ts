import type { Command } from '@safecity/security';
import type { MatchFilter } from '../../matches.repository';

export interface ListMatches extends Command {
  /** What to list; the caller's regions narrow it further. */
  filter: Omit<MatchFilter, 'regions'>;
  /** Why the matches are looked at, audited for each one on the page. */
  purpose: string;
}

export interface MatchPage<T> {
  items: T[];
  /** Where the next page starts (`MATCH_CURSOR`), if there is one. */
  next: { matchedAt: string; id: string } | null;
}
