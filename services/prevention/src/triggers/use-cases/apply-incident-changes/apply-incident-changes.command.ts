import type { incidents } from '@safecity/contracts';
import type { ConsumedEvent } from '@safecity/messaging';
import type { Command } from '@safecity/security';

export interface ApplyIncidentChanges extends Command {
  /** One fetch's decoded `safecity.incidents.v1` records. */
  events: ConsumedEvent<incidents.IncidentChanged>[];
}
