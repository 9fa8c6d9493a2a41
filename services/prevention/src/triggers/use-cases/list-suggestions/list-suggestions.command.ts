import type { Command } from '@safecity/security';
import type { ListSuggestionsQueryDto } from '../../suggestion.dto';

export interface ListSuggestions extends Command {
  /** A region of the caller's and a status, both optional. */
  query: ListSuggestionsQueryDto;
}
