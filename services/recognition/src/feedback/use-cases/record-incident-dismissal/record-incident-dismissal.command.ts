import type { incidents } from '@safecity/contracts';
import type { ConsumedEvent } from '@safecity/messaging';
import type { Command } from '@safecity/security';

/** One `safecity.incidents.v1` event, decoded: its id makes applying it once possible. */
export interface RecordIncidentDismissal extends Command {
  change: ConsumedEvent<incidents.IncidentChanged>;
}
