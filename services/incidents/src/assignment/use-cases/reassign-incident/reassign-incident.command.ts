import type { Command } from '@safecity/security';
import type { ReassignmentDto } from '../../reassignment.dto';

export interface ReassignIncident extends Command {
  id: string;
  /** The operator and/or operations center it goes to, and why. */
  handover: ReassignmentDto;
}
