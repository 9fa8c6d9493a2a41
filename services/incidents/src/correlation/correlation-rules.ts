/** The source types correlation distinguishes; each has its own rule. */
export const CORRELATION_TYPES = ['plate', 'face', 'behaviour', 'camera', 'citizen'] as const;
export type CorrelationType = (typeof CORRELATION_TYPES)[number];

export interface CorrelationRule {
  /** A source joins an open incident last seen at most this long before it. */
  windowSeconds: number;
  /**
   * A source joins only an incident within this distance; absent: anywhere (a plate or a face
   * seen by cameras across the city is one incident with a trajectory).
   */
  radiusMeters?: number;
}

export type CorrelationRules = Record<CorrelationType, CorrelationRule>;

export const DEFAULT_CORRELATION_RULES: CorrelationRules = {
  plate: { windowSeconds: 30 * 60 },
  face: { windowSeconds: 15 * 60 },
  behaviour: { windowSeconds: 5 * 60, radiusMeters: 150 },
  // An outage stays one technical incident for as long as it is open.
  camera: { windowSeconds: 30 * 24 * 3600 },
  citizen: { windowSeconds: 10 * 60, radiusMeters: 200 },
};

/**
 * Rules from configuration (JSON, types may be left out to keep their defaults). Refuses unknown
 * types and nonsensical values at startup rather than correlating wrongly at run time.
 */
export function parseCorrelationRules(json: string | undefined): CorrelationRules {
  const rules: CorrelationRules = { ...DEFAULT_CORRELATION_RULES };
  if (!json?.trim()) return rules;
  const parsed: unknown = JSON.parse(json);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new RangeError('correlation rules must be a JSON object keyed by type');
  }
  for (const [type, value] of Object.entries(parsed)) {
    if (!(CORRELATION_TYPES as readonly string[]).includes(type)) {
      throw new RangeError(`unknown correlation type ${JSON.stringify(type)}`);
    }
    const rule = value as Partial<CorrelationRule>;
    const windowSeconds = rule.windowSeconds ?? rules[type as CorrelationType].windowSeconds;
    if (!Number.isFinite(windowSeconds) || windowSeconds < 0) {
      throw new RangeError(`${type}.windowSeconds must be a non-negative number`);
    }
    if (rule.radiusMeters !== undefined && !(Number.isFinite(rule.radiusMeters) && rule.radiusMeters > 0)) {
      throw new RangeError(`${type}.radiusMeters must be a positive number`);
    }
    rules[type as CorrelationType] = {
      windowSeconds,
      radiusMeters: rule.radiusMeters ?? rules[type as CorrelationType].radiusMeters,
    };
  }
  return rules;
}
