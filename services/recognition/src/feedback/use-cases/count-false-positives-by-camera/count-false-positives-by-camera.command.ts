import type { Command } from '@safecity/security';
import type { CountFilter } from '../../false-positives.repository';

export interface CountFalsePositivesByCamera extends Command {
  /** A region of the caller's, and the period the dismissals fall in. */
  filter: Omit<CountFilter, 'regions'>;
}
