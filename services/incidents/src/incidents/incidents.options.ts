import type { CorrelationRules } from '../correlation/correlation-rules';
import type { SlaPolicy } from '../operations/sla-policy';

export const INCIDENTS_OPTIONS = Symbol('INCIDENTS_OPTIONS');

/** Rules of the service that deployments tune. */
export interface IncidentsRules {
  correlation: CorrelationRules;
  sla: SlaPolicy;
}
