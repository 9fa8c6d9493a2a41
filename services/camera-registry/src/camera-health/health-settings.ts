/** Where the health feature reads the time, so tests can move it instead of sleeping. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/**
 * Flapping damping. A camera whose observed status changed more than `maxTransitions` times
 * within `windowSeconds` is held in the status last published for it; it is released once its
 * observed status has not changed for `holdDownSeconds`, and then its observed status is
 * published if it differs. Every observed transition is still recorded in the status history.
 */
export interface FlappingRule {
  maxTransitions: number;
  windowSeconds: number;
  holdDownSeconds: number;
}

export interface CameraHealthSettings {
  clock: Clock;
  /** Expected heartbeat interval of a camera when neither it nor its video system sets one. */
  defaultIntervalSeconds: number;
  /** Heartbeats a camera may miss before it is offline. */
  missedHeartbeats: number;
  /** How often the offline detector runs; 0 leaves it to explicit `runOnce()` calls. */
  detectorIntervalMs: number;
  /** Cameras one detector transaction handles per step; a larger backlog takes more rounds. */
  detectorBatchSize: number;
  flapping: FlappingRule;
  /** Heartbeats observed further ahead of our clock are refused. */
  maxClockSkewSeconds: number;
  /** Heartbeats observed longer ago are refused over REST and dropped from Kafka. */
  maxHeartbeatAgeSeconds: number;
  /** Longest range of days one uptime query may ask for. */
  maxUptimeDays: number;
}

export type CameraHealthOptions = Partial<Omit<CameraHealthSettings, 'flapping'>> & {
  flapping?: Partial<FlappingRule>;
};

export const CAMERA_HEALTH_SETTINGS = Symbol('CAMERA_HEALTH_SETTINGS');

export const MIN_INTERVAL_SECONDS = 5;
export const MAX_INTERVAL_SECONDS = 86_400;

export function resolveCameraHealthSettings(options: CameraHealthOptions = {}): CameraHealthSettings {
  const settings: CameraHealthSettings = {
    clock: options.clock ?? systemClock,
    defaultIntervalSeconds: options.defaultIntervalSeconds ?? 60,
    missedHeartbeats: options.missedHeartbeats ?? 3,
    detectorIntervalMs: options.detectorIntervalMs ?? 10_000,
    detectorBatchSize: options.detectorBatchSize ?? 2_000,
    flapping: {
      maxTransitions: options.flapping?.maxTransitions ?? 4,
      windowSeconds: options.flapping?.windowSeconds ?? 600,
      holdDownSeconds: options.flapping?.holdDownSeconds ?? 600,
    },
    maxClockSkewSeconds: options.maxClockSkewSeconds ?? 300,
    maxHeartbeatAgeSeconds: options.maxHeartbeatAgeSeconds ?? 3_600,
    maxUptimeDays: options.maxUptimeDays ?? 92,
  };
  const positive: [string, number][] = [
    ['defaultIntervalSeconds', settings.defaultIntervalSeconds],
    ['missedHeartbeats', settings.missedHeartbeats],
    ['detectorBatchSize', settings.detectorBatchSize],
    ['flapping.maxTransitions', settings.flapping.maxTransitions],
    ['flapping.windowSeconds', settings.flapping.windowSeconds],
    ['flapping.holdDownSeconds', settings.flapping.holdDownSeconds],
    ['maxClockSkewSeconds', settings.maxClockSkewSeconds],
    ['maxHeartbeatAgeSeconds', settings.maxHeartbeatAgeSeconds],
    ['maxUptimeDays', settings.maxUptimeDays],
  ];
  for (const [name, value] of positive) {
    if (!(Number.isFinite(value) && value > 0)) throw new RangeError(`camera health ${name} must be > 0`);
  }
  if (!(settings.detectorIntervalMs >= 0))
    throw new RangeError('camera health detectorIntervalMs must be >= 0');
  return settings;
}
