/**
 * Kafka topics of the platform. The value of every record is a protobuf message from
 * `proto/`; which one is told by the CloudEvents `ce_type` header (see event-types.ts).
 */
export const Topics = {
  /** Compacted; key = camera id; full camera state (CameraChanged). */
  Cameras: 'safecity.cameras.v1',
  /** Key = camera id (CameraStatusChanged). */
  CameraStatus: 'safecity.camera-status.v1',
  /** Key = video system id (CameraHeartbeat). */
  CameraHeartbeats: 'safecity.camera-heartbeats.v1',
  /**
   * Compacted; key = camera id; the camera's media source for the platform's analytics
   * (CameraMediaSourceChanged). Its partitions are how video-analytics spreads cameras over its
   * instances.
   */
  CameraMedia: 'safecity.camera-media.v1',
  /** Internal to recognition, short retention; key = video system id (RawDetectionReceived). */
  DetectionsRaw: 'safecity.detections.raw.v1',
  /** Key = camera id (DetectionObserved). */
  Detections: 'safecity.detections.v1',
  /** Key = match id (PlateMatched, FaceMatched, MatchStatusChanged). */
  Matches: 'safecity.matches.v1',
  /** Key = camera id (BehaviourAlertRaised). */
  Alerts: 'safecity.alerts.v1',
  /** Key = report id (CitizenReportSubmitted). */
  CitizenReports: 'safecity.citizen-reports.v1',
  /** Key = incident id; full incident state (IncidentChanged). */
  Incidents: 'safecity.incidents.v1',
  /** Key = case id or trigger id (PreventionCaseChanged, PreventionTriggerFired). */
  Prevention: 'safecity.prevention.v1',
  /** Audit records shipped out of the services' hash-chained audit logs; key = `<object type>:<object id>` (AuditRecorded). */
  Audit: 'safecity.audit.v1',
} as const;

export type Topic = (typeof Topics)[keyof typeof Topics];

export const ALL_TOPICS: readonly Topic[] = Object.values(Topics);

const RETRY_SUFFIX = '.retry';
const DLQ_SUFFIX = '.dlq';

export function isTopic(name: string): name is Topic {
  return (ALL_TOPICS as readonly string[]).includes(name);
}

/**
 * The topic a retry or dead-letter topic belongs to; other names are returned unchanged.
 * Lets a consumer of `x.retry` dead-letter to `x.dlq` rather than `x.retry.dlq`.
 */
export function sourceTopic(topic: string): string {
  for (const suffix of [RETRY_SUFFIX, DLQ_SUFFIX]) {
    if (topic.endsWith(suffix)) return topic.slice(0, -suffix.length);
  }
  return topic;
}

/** `<topic>.dlq`; given a retry or dead-letter topic, the dead-letter topic of its source. */
export function dlqTopic(topic: string): string {
  return sourceTopic(topic) + DLQ_SUFFIX;
}

/** `<topic>.retry`; given a retry or dead-letter topic, the retry topic of its source. */
export function retryTopic(topic: string): string {
  return sourceTopic(topic) + RETRY_SUFFIX;
}

/**
 * Broker settings of topics that differ from the defaults, applied by whichever service creates
 * the topic first (`npm run topics` sets the same on a managed cluster).
 */
export const TOPIC_SETTINGS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  // The full state of every camera, kept forever as its latest version per key.
  [Topics.Cameras]: { 'cleanup.policy': 'compact', 'min.compaction.lag.ms': '60000' },
  // Every camera's latest media source; video-analytics instances read their partitions whole.
  [Topics.CameraMedia]: { 'cleanup.policy': 'compact', 'min.compaction.lag.ms': '60000' },
};
