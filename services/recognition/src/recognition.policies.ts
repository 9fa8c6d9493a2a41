import { definePolicies, type Role } from '@safecity/security';

/**
 * Who keeps watchlists (plate hotlists and face watchlists, with their legal bases): national and
 * regional administrators and shift supervisors, each in their regions.
 */
export const WATCHLIST_KEEPERS: Role[] = ['admin', 'region-admin', 'supervisor'];
/**
 * Who sees matches: the people who verify them (operators, supervisors), platform admins and the
 * platform's services. Region admins (an akimat's integrators) keep video systems, cameras and
 * watchlists, not the matches of people and vehicles.
 */
const MATCH_READERS: Role[] = ['admin', 'operator', 'supervisor', 'service'];
/** Region integrators and supervisors keep the behaviour rules of cameras. */
const RULE_KEEPERS: Role[] = ['admin', 'region-admin', 'supervisor'];
const DETECTION_READERS: Role[] = ['admin', 'region-admin', 'operator', 'supervisor', 'analyst', 'service'];

/**
 * One policy per operation of recognition, whichever transport calls it: the REST route and the
 * gRPC method of an operation name the same policy, and so does the use case both reach.
 */
export const RECOGNITION_POLICIES = definePolicies('recognition', {
  /** `POST /ingest/v1/{detections,onvif-events,hikvision-isapi,frigate}` (and the earlier `onvif`, `hikvision`): video systems, by ingest key. */
  ingestDetections: { callers: 'video-systems', regions: 'own', reveals: [] },
  /**
   * `safecity.detections.raw.v1`: vendor events high-volume systems and bridges write to the topic
   * directly (the broker's ACLs admit each system); the consumer hands each fetched batch on.
   */
  ingestRawDetections: { callers: ['service'], regions: 'own', reveals: [] },
  /** `GET /detections/:id`, gRPC `GetDetection`: kept briefly, plates included. */
  getDetection: { callers: DETECTION_READERS, regions: 'own', reveals: ['plate'] },
  /** `GET /media/:id`: a picture from the local media store. */
  readMedia: { callers: DETECTION_READERS, regions: 'own', reveals: ['biometric', 'plate'] },
  /** `GET /matches`, gRPC `ListMatches`: each match on a page is a view, audited. */
  listMatches: { callers: MATCH_READERS, regions: 'own', reveals: ['biometric', 'plate'] },
  /** `GET /matches/:id`, gRPC `GetMatch`: audited. */
  getMatch: { callers: MATCH_READERS, regions: 'own', reveals: ['biometric', 'plate'] },
  /**
   * `POST /matches/:id/verifications`, gRPC `VerifyMatch`: one person's check, whatever service it
   * comes through (incidents relays its operators' confirmations of face-match incidents here).
   */
  verifyMatch: { callers: ['operator', 'supervisor'], regions: 'own', reveals: [] },
  /** `GET /behaviour-alerts/:id`, gRPC `GetBehaviourAlert`. */
  getBehaviourAlert: {
    callers: ['admin', 'region-admin', 'operator', 'supervisor', 'service'],
    regions: 'own',
    reveals: [],
  },
  /** `POST /watchlists`, `PATCH /watchlists/:id`, `DELETE /watchlists/:id`. */
  keepWatchlists: { callers: WATCHLIST_KEEPERS, regions: 'own', reveals: [] },
  /** `GET /watchlists`, `GET /watchlists/:id`. */
  readWatchlists: { callers: WATCHLIST_KEEPERS, regions: 'own', reveals: [] },
  /** `POST /watchlists/:id/subjects`, `PATCH|DELETE /face-entries/:id`, `POST …/templates`. */
  keepFaceEntries: { callers: WATCHLIST_KEEPERS, regions: 'own', reveals: ['biometric'] },
  /** `GET /watchlists/:id/subjects`, `GET /face-entries/:id`: every read audited. */
  readFaceEntries: { callers: WATCHLIST_KEEPERS, regions: 'own', reveals: ['biometric'] },
  /** `POST /watchlists/:id/subjects/photo`, `POST /face-entries/:id/photos`: enrolment from a photo. */
  enrolFromPhoto: { callers: WATCHLIST_KEEPERS, regions: 'own', reveals: ['biometric'] },
  /**
   * `POST /face-entries/reenrolment`: after a change of face model, every region's subjects are
   * re-enrolled from their kept photos.
   */
  reenrolFaceEntries: { callers: ['admin'], regions: 'national', reveals: ['biometric'] },
  /** `POST /ingest/v1/platform-analytics`: the platform's own analytics, on behalf of a video system. */
  ingestPlatformAnalytics: { callers: ['service'], regions: 'own', reveals: [] },
  /** `POST /watchlists/:id/plates`, `PATCH|DELETE /plate-entries/:id`. */
  keepPlateEntries: { callers: WATCHLIST_KEEPERS, regions: 'own', reveals: ['plate'] },
  /** `GET /watchlists/:id/plates`, `GET /plate-entries/:id`: every read audited. */
  readPlateEntries: { callers: WATCHLIST_KEEPERS, regions: 'own', reveals: ['plate'] },
  /** `POST /cameras/:cameraId/behaviour-rules`, `PATCH|DELETE /behaviour-rules/:id`. */
  keepBehaviourRules: { callers: RULE_KEEPERS, regions: 'own', reveals: [] },
  /** `GET /cameras/:cameraId/behaviour-rules`, `GET /behaviour-rules/:id`. */
  readBehaviourRules: { callers: [...RULE_KEEPERS, 'operator'], regions: 'own', reveals: [] },
  /** `GET /false-positives/by-camera`, `…/by-watchlist`: counts only. */
  readFalsePositives: {
    callers: ['admin', 'region-admin', 'supervisor', 'analyst'],
    regions: 'own',
    reveals: [],
  },
  /**
   * `safecity.incidents.v1`: incidents dismissed as false alarms, counted against the matches and
   * alerts that opened them.
   */
  recordIncidentDismissals: { callers: ['service'], regions: 'own', reveals: [] },
  /** `GET /camera-directory/:id`, `…/resolve/:videoSystemId/:externalId`. */
  readCameraDirectory: {
    callers: ['admin', 'region-admin', 'operator', 'supervisor', 'service'],
    regions: 'own',
    reveals: [],
  },
  /** `safecity.cameras.v1`: camera-registry's changes, applied to recognition's camera directory. */
  recordCameraChanges: { callers: ['service'], regions: 'own', reveals: [] },
  /** `POST|GET /video-systems/:id/ingest-keys`, `DELETE …/:keyId`. */
  keepIngestKeys: { callers: ['admin', 'region-admin'], regions: 'own', reveals: [] },
});
