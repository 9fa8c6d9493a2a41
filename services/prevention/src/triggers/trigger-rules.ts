import type { AuditActor } from '@safecity/security';

export const RULE_INCIDENT_AT_CASE = 'incident-at-case-subject';
export const RULE_REPEAT_AT_ADDRESS = 'repeat-incidents-at-address';

/** A place subject within this distance of an incident is "at" it. */
export const SAME_PLACE_METRES = 50;

export interface RepeatRule {
  windowDays: number;
  threshold: number;
}

export const DEFAULT_REPEAT_RULE: RepeatRule = { windowDays: 90, threshold: 3 };

/** Who prevention's own work (triggers, erasure) is recorded as in the audit log. */
export const SERVICE_ACTOR: AuditActor = {
  subject: 'service:prevention',
  kind: 'service',
  roles: ['service'],
};
