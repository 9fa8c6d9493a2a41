import type { Command } from '@safecity/security';
import type { IncidentFilter, ListCursor } from '../../incidents.repository';

export interface ListIncidents extends Command {
  filter: Omit<IncidentFilter, 'visibleKinds'>;
  /** Incidents per page. */
  limit: number;
  /** Where the page starts: the `next` of the page before. */
  after?: ListCursor;
  /**
   * The filter's region is one the caller must hold (gRPC's `region_code`); otherwise it only
   * narrows the caller's regions, and another region's incidents are simply not there.
   */
  regionMustBeHeld?: boolean;
  /** Why the caller reads them: recorded with every disclosure of a face match. */
  purpose: string;
}
