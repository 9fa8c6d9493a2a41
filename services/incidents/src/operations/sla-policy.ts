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

/** Deadlines of a new incident; technical incidents go to the integrator, so nobody is dispatched. */
export function slaDeadlines(
  policy: SlaPolicy,
  priority: number,
  from: Date,
  category: number,
): { verifyDueAt: Date; dispatchDueAt: Date | null } {
  const targets = policy[priority] ?? policy[P.INCIDENT_PRIORITY_LOW];
  return {
    verifyDueAt: new Date(from.getTime() + targets.verifyMinutes * 60_000),
    dispatchDueAt:
      category === contract.IncidentCategory.INCIDENT_CATEGORY_INFRASTRUCTURE
        ? null
        : new Date(from.getTime() + targets.dispatchMinutes * 60_000),
  };
}

/** Parses `{"4":{"verifyMinutes":1,"dispatchMinutes":3},...}` (priority numbers or names as keys). */
export function parseSlaPolicy(json: string | undefined): SlaPolicy {
  const policy: SlaPolicy = { ...DEFAULT_SLA_POLICY };
  if (!json?.trim()) return policy;
  const parsed = JSON.parse(json) as Record<string, Partial<SlaTargets>>;
  for (const [key, value] of Object.entries(parsed)) {
    const priority = /^\d+$/.test(key)
      ? Number(key)
      : (P[`INCIDENT_PRIORITY_${key.toUpperCase()}` as keyof typeof P] as number | undefined);
    if (!priority || !policy[priority]) throw new RangeError(`unknown priority ${key} in SLA policy`);
    const targets = { ...policy[priority], ...value };
    if (!(targets.verifyMinutes > 0 && targets.dispatchMinutes >= targets.verifyMinutes)) {
      throw new RangeError(`SLA of ${key}: minutes must be positive, dispatch no sooner than verify`);
    }
    policy[priority] = targets;
  }
  return policy;
}
