import type { Command } from '@safecity/security';
import type { AcceptSuggestionDto } from '../../suggestion.dto';

export interface AcceptSuggestion extends Command {
  /** The suggestion. */
  id: string;
  /** The case the officer decided on: its subject (kind and name) and fields. */
  decision: AcceptSuggestionDto;
}
