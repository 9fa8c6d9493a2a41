import { incidents as contract } from '@safecity/contracts';

const P = contract.IncidentPriority;

/** Minutes from creation by which an incident must be verified and dispatched, per priority. */
export interface SlaTargets {
  verifyMinutes: number;
  dispatchMinutes: number;
}

export type SlaPolicy = Record<number, SlaTargets>;

export const DEFAULT_SLA_POLICY: SlaPolicy = {
  [P.INCIDENT_PRIORITY_CRITICAL]: { verifyMinutes: 1, dispatchMinutes: 3 },
  [P.INCIDENT_PRIORITY_HIGH]: { verifyMinutes: 2, dispatchMinutes: 5 },
  [P.INCIDENT_PRIORITY_MEDIUM]: { verifyMinutes: 5, dispatchMinutes: 15 },
  [P.INCIDENT_PRIORITY_LOW]: { verifyMinutes: 15, dispatchMinutes: 60 },
};

export function slaDeadlines(
  policy: SlaPolicy,
  priority: number,
  from: Date,
): { verifyDueAt: Date; dispatchDueAt: Date } {
  const targets = policy[priority] ?? policy[P.INCIDENT_PRIORITY_LOW];
  return {
    verifyDueAt: new Date(from.getTime() + targets.verifyMinutes * 60_000),
    dispatchDueAt: new Date(from.getTime() + targets.dispatchMinutes * 60_000),
  };
}
