import type { CameraStatusName } from '../cameras/camera.entity';

export const HEARTBEAT_CONDITIONS = ['ok', 'degraded', 'fault'] as const;
export type HeartbeatCondition = (typeof HEARTBEAT_CONDITIONS)[number];

/** Why a camera's observed status changed; kept in the status history. */
export type TransitionCause = 'heartbeat' | 'fault' | 'silence' | 'unmonitored';

/** One heartbeat, from REST or Kafka, after validation. */
export interface HeartbeatInput {
  videoSystemId: string;
  observedAt: Date;
  /** Sent by the video system itself, so it also counts as the system's own heartbeat. */
  fromSystem: boolean;
  cameras: HeartbeatCamera[];
}

/** A camera named by its platform id or by its id inside the heartbeat's video system. */
export interface HeartbeatCamera {
  cameraId?: string;
  externalId?: string;
  condition: HeartbeatCondition;
  detail: string | null;
}

export interface HeartbeatOutcome {
  /** Cameras whose heartbeat was applied (or was older than one already applied). */
  accepted: number;
  /** Cameras the video system does not have, as they were named in the heartbeat. */
  unknown: string[];
  /** Decommissioned cameras, as named in the heartbeat: they are not monitored. */
  notMonitored: string[];
}

export interface StatusTransition {
  cameraId: string;
  to: CameraStatusName;
  at: Date;
  cause: TransitionCause;
}

export type DampingDecision = 'publish' | 'start-hold' | 'hold';

/**
 * The flapping rule for one observed transition. `transitionsInWindow` counts it together with
 * the camera's earlier transitions inside the rule's window.
 */
export function dampingDecision(
  state: { held: boolean; transitionsInWindow: number },
  rule: { maxTransitions: number },
): DampingDecision {
  if (state.held) return 'hold';
  return state.transitionsInWindow > rule.maxTransitions ? 'start-hold' : 'publish';
}

/** Heartbeats from a camera in `fault` say it is reachable but delivers no usable video. */
export function observedStatusOf(condition: HeartbeatCondition): CameraStatusName {
  return condition === 'fault' ? 'offline' : 'online';
}
