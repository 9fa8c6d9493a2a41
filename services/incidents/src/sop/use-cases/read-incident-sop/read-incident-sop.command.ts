import type { Command } from '@safecity/security';

export interface ReadIncidentSop extends Command {
  incidentId: string;
}
