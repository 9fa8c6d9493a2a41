import type { Command } from '@safecity/security';
import type { TriggerSettingsDto } from '../../suggestion.dto';

export interface SaveTriggerSettings extends Command {
  /** A region of the caller's. */
  regionCode: string;
  /** The window in days and how many incidents in it call for a suggestion. */
  settings: TriggerSettingsDto;
}
