import { AcceptSuggestionUseCase } from './accept-suggestion/accept-suggestion.use-case';
import { ApplyIncidentChangesUseCase } from './apply-incident-changes/apply-incident-changes.use-case';
import { DismissSuggestionUseCase } from './dismiss-suggestion/dismiss-suggestion.use-case';
import { ListSuggestionsUseCase } from './list-suggestions/list-suggestions.use-case';
import { ReadTriggerSettingsUseCase } from './read-trigger-settings/read-trigger-settings.use-case';
import { SaveTriggerSettingsUseCase } from './save-trigger-settings/save-trigger-settings.use-case';

export {
  AcceptSuggestionUseCase,
  ApplyIncidentChangesUseCase,
  DismissSuggestionUseCase,
  ListSuggestionsUseCase,
  ReadTriggerSettingsUseCase,
  SaveTriggerSettingsUseCase,
};

/** Every operation on triggers from incidents and the suggestions they raise. */
export const TRIGGER_USE_CASES = [
  ApplyIncidentChangesUseCase,
  ListSuggestionsUseCase,
  AcceptSuggestionUseCase,
  DismissSuggestionUseCase,
  ReadTriggerSettingsUseCase,
  SaveTriggerSettingsUseCase,
];
