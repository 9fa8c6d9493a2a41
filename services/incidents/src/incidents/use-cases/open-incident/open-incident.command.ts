import type { Command } from '@safecity/security';
import type { OpenIncidentDto } from '../../incident.dto';

export interface OpenIncident extends Command {
  /** What happened, where and when, as the operator reports it. */
  incident: OpenIncidentDto;
}
