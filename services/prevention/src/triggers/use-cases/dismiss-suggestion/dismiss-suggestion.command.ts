import type { Command } from '@safecity/security';
import type { DismissSuggestionDto } from '../../suggestion.dto';

export interface DismissSuggestion extends Command {
  /** The suggestion. */
  id: string;
  /** Why no case is opened. */
  decision: DismissSuggestionDto;
}
