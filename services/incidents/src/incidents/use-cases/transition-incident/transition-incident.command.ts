import type { Command } from '@safecity/security';
import type { TransitionDto } from '../../incident.dto';

export interface TransitionIncident extends Command {
  id: string;
  /** The state to move to, with what that step needs (reason, resolution, unit, visual check). */
  step: TransitionDto;
}
