import { incidents as contract } from '@safecity/contracts';

const S = contract.IncidentState;
const R = contract.Resolution;
export type IncidentState = contract.IncidentState;

/**
 * The lifecycle of an incident. Reopening is RESOLVED -> VERIFIED; DISMISSED and CLOSED are final,
 * so a later sighting of the same thing opens a new incident rather than reviving a closed one.
 */
export const TRANSITIONS: ReadonlyMap<IncidentState, readonly IncidentState[]> = new Map([
  [S.INCIDENT_STATE_NEW, [S.INCIDENT_STATE_VERIFIED, S.INCIDENT_STATE_DISMISSED]],
  [
    S.INCIDENT_STATE_VERIFIED,
    [S.INCIDENT_STATE_DISPATCHED, S.INCIDENT_STATE_RESOLVED, S.INCIDENT_STATE_DISMISSED],
  ],
  [S.INCIDENT_STATE_DISPATCHED, [S.INCIDENT_STATE_ON_SCENE]],
  [S.INCIDENT_STATE_ON_SCENE, [S.INCIDENT_STATE_RESOLVED]],
  [S.INCIDENT_STATE_RESOLVED, [S.INCIDENT_STATE_CLOSED, S.INCIDENT_STATE_VERIFIED]],
  [S.INCIDENT_STATE_DISMISSED, []],
  [S.INCIDENT_STATE_CLOSED, []],
]);

/** States in which an incident is still being worked on and may absorb new sources. */
export const OPEN_STATES: readonly IncidentState[] = [
  S.INCIDENT_STATE_NEW,
  S.INCIDENT_STATE_VERIFIED,
  S.INCIDENT_STATE_DISPATCHED,
  S.INCIDENT_STATE_ON_SCENE,
];

/** States in which an incident has ended, as far as retention counts: its periods run from then. */
export const ENDED_STATES: readonly IncidentState[] = [
  S.INCIDENT_STATE_DISMISSED,
  S.INCIDENT_STATE_RESOLVED,
  S.INCIDENT_STATE_CLOSED,
];

const DISMISS_RESOLUTIONS = [R.RESOLUTION_FALSE_ALARM, R.RESOLUTION_DUPLICATE, R.RESOLUTION_NO_ACTION_NEEDED];
const RESOLVE_RESOLUTIONS = [
  R.RESOLUTION_HANDLED_ON_SCENE,
  R.RESOLUTION_HANDED_OVER,
  R.RESOLUTION_NO_ACTION_NEEDED,
];

export function allowedTransitions(from: IncidentState): readonly IncidentState[] {
  return TRANSITIONS.get(from) ?? [];
}

export interface TransitionRequest {
  from: IncidentState;
  to: IncidentState;
  reason: string;
  resolution: contract.Resolution;
}

export type TransitionCheck =
  | { ok: true; resolution: contract.Resolution; reopening: boolean }
  | { ok: false; kind: 'illegal'; allowed: readonly IncidentState[] }
  | { ok: false; kind: 'invalid'; field: 'reason' | 'resolution'; message: string };

/**
 * Whether a transition is allowed, and what it needs: a reason for dismissing and reopening, a
 * resolution that fits the target (dismissals default to a false alarm).
 */
export function checkTransition(request: TransitionRequest): TransitionCheck {
  const allowed = allowedTransitions(request.from);
  if (!allowed.includes(request.to)) return { ok: false, kind: 'illegal', allowed };
  const reopening = request.from === S.INCIDENT_STATE_RESOLVED && request.to === S.INCIDENT_STATE_VERIFIED;
  const reason = request.reason.trim();
  if ((request.to === S.INCIDENT_STATE_DISMISSED || reopening) && reason.length === 0) {
    return {
      ok: false,
      kind: 'invalid',
      field: 'reason',
      message: reopening ? 'reopening needs a reason' : 'dismissing needs a reason',
    };
  }
  if (request.to === S.INCIDENT_STATE_DISMISSED) {
    const resolution = request.resolution || R.RESOLUTION_FALSE_ALARM;
    if (!DISMISS_RESOLUTIONS.includes(resolution)) {
      return { ok: false, kind: 'invalid', field: 'resolution', message: 'not a resolution of a dismissal' };
    }
    return { ok: true, resolution, reopening };
  }
  if (request.to === S.INCIDENT_STATE_RESOLVED) {
    if (!RESOLVE_RESOLUTIONS.includes(request.resolution)) {
      return {
        ok: false,
        kind: 'invalid',
        field: 'resolution',
        message: 'resolving needs a resolution: handled-on-scene, handed-over or no-action-needed',
      };
    }
    return { ok: true, resolution: request.resolution, reopening };
  }
  // Reopening clears the earlier outcome; other steps keep whatever was recorded.
  return { ok: true, resolution: reopening ? R.RESOLUTION_UNSPECIFIED : request.resolution, reopening };
}

/** What a verification (NEW -> VERIFIED) still waits for, given the confirmations recorded. */
export interface VerificationRule {
  /** Distinct people who must confirm (2 for face matches, 1 otherwise). */
  requiredConfirmations: number;
  /** Plate hits: the confirming operator must record plate, make and colour as seen. */
  visualCheckRequired: boolean;
}

export interface VisualCheck {
  plate: string;
  make: string;
  colour: string;
}

export type VerificationStep =
  | { kind: 'verified'; confirmations: number }
  | { kind: 'confirmation-recorded'; confirmations: number; required: number }
  | { kind: 'already-confirmed'; confirmations: number; required: number }
  | { kind: 'visual-check-missing'; missing: (keyof VisualCheck)[] };

/**
 * One person's confirmation of an incident waiting for verification: verified once the required
 * number of different people have confirmed; the same person twice counts once.
 */
export function verificationStep(
  rule: VerificationRule,
  confirmedBy: readonly string[],
  actor: string,
  visualCheck: Partial<VisualCheck> | undefined,
): VerificationStep {
  if (rule.visualCheckRequired) {
    const missing = (['plate', 'make', 'colour'] as const).filter((field) => !visualCheck?.[field]?.trim());
    if (missing.length > 0) return { kind: 'visual-check-missing', missing };
  }
  const required = Math.max(1, rule.requiredConfirmations);
  if (confirmedBy.includes(actor)) {
    return { kind: 'already-confirmed', confirmations: confirmedBy.length, required };
  }
  const confirmations = confirmedBy.length + 1;
  if (confirmations >= required) return { kind: 'verified', confirmations };
  return { kind: 'confirmation-recorded', confirmations, required };
}
