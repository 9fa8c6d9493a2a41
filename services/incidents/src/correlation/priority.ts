import { incidents as contract } from '@safecity/contracts';

const P = contract.IncidentPriority;
export type IncidentPriority = contract.IncidentPriority;

/** Place tags of cameras (from camera-registry) where the same event matters more. */
export const SENSITIVE_PLACE_TAGS: readonly string[] = [
  'school',
  'transport-hub',
  'hospital',
  'kindergarten',
];

/** Below this confidence an automatic source is more likely noise: one step lower. */
export const LOW_CONFIDENCE = 0.6;

export interface PriorityInputs {
  /** What the type of incident alone is worth. */
  base: IncidentPriority;
  /** Priority of the watchlist or hotlist entry that matched, when there is one. */
  watchlistPriority?: IncidentPriority | null;
  /** Confidence of the analytics, 0..1; absent for people's reports. */
  confidence?: number | null;
  /** Tags of the place (camera) where it happened. */
  placeTags?: readonly string[];
}

/**
 * The priority of an incident: the higher of its type and its watchlist entry, one step lower for
 * a low-confidence detection, one step higher at a sensitive place; never outside LOW..CRITICAL.
 */
export function incidentPriority(inputs: PriorityInputs): IncidentPriority {
  let level: number = Math.max(inputs.base, inputs.watchlistPriority ?? P.INCIDENT_PRIORITY_UNSPECIFIED);
  if (inputs.confidence !== undefined && inputs.confidence !== null && inputs.confidence < LOW_CONFIDENCE) {
    level -= 1;
  }
  if ((inputs.placeTags ?? []).some((tag) => SENSITIVE_PLACE_TAGS.includes(tag))) level += 1;
  return Math.min(P.INCIDENT_PRIORITY_CRITICAL, Math.max(P.INCIDENT_PRIORITY_LOW, level)) as IncidentPriority;
}
