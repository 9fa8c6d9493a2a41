/**
 * CloudEvents types (`ce_type` header) of every event on the platform and, per type, the
 * protobuf message that is the Kafka record value, so a consumer can decode by header.
 *
 * Change events that carry a `kind` (CameraChanged, IncidentChanged, PreventionCaseChanged)
 * get one type per kind: consumers can filter on the header without decoding, and the
 * `kind` field must agree with it (see the `...EventType(kind)` functions).
 */
import { AuditRecorded } from './gen/safecity/audit/v1/audit';
import {
  CameraChanged,
  CameraChangeKind,
  CameraHeartbeat,
  CameraMediaSourceChanged,
  CameraStatusChanged,
} from './gen/safecity/cameras/v1/cameras';
import {
  CitizenReportSubmitted,
  IncidentChanged,
  IncidentChangeKind,
} from './gen/safecity/incidents/v1/incidents';
import {
  PreventionCaseChanged,
  PreventionCaseChangeKind,
  PreventionTriggerFired,
} from './gen/safecity/prevention/v1/prevention';
import {
  BehaviourAlertRaised,
  DetectionObserved,
  FaceMatched,
  MatchStatusChanged,
  PlateMatched,
  RawDetectionReceived,
} from './gen/safecity/recognition/v1/recognition';
import { type Topic, Topics } from './topics';

export const EventTypes = {
  CameraRegistered: 'kz.safecity.cameras.v1.CameraRegistered',
  CameraUpdated: 'kz.safecity.cameras.v1.CameraUpdated',
  CameraDecommissioned: 'kz.safecity.cameras.v1.CameraDecommissioned',
  CameraStatusChanged: 'kz.safecity.cameras.v1.CameraStatusChanged',
  CameraHeartbeatReceived: 'kz.safecity.cameras.v1.CameraHeartbeatReceived',
  CameraMediaSourceChanged: 'kz.safecity.cameras.v1.CameraMediaSourceChanged',

  RawDetectionReceived: 'kz.safecity.recognition.v1.RawDetectionReceived',
  DetectionObserved: 'kz.safecity.recognition.v1.DetectionObserved',
  PlateMatched: 'kz.safecity.recognition.v1.PlateMatched',
  FaceMatched: 'kz.safecity.recognition.v1.FaceMatched',
  MatchStatusChanged: 'kz.safecity.recognition.v1.MatchStatusChanged',
  BehaviourAlertRaised: 'kz.safecity.recognition.v1.BehaviourAlertRaised',

  CitizenReportSubmitted: 'kz.safecity.incidents.v1.CitizenReportSubmitted',
  IncidentCreated: 'kz.safecity.incidents.v1.IncidentCreated',
  IncidentUpdated: 'kz.safecity.incidents.v1.IncidentUpdated',
  IncidentStateChanged: 'kz.safecity.incidents.v1.IncidentStateChanged',
  IncidentAssigned: 'kz.safecity.incidents.v1.IncidentAssigned',

  PreventionCaseOpened: 'kz.safecity.prevention.v1.PreventionCaseOpened',
  PreventionCaseUpdated: 'kz.safecity.prevention.v1.PreventionCaseUpdated',
  PreventionCaseStatusChanged: 'kz.safecity.prevention.v1.PreventionCaseStatusChanged',
  PreventionCaseMeasuresChanged: 'kz.safecity.prevention.v1.PreventionCaseMeasuresChanged',
  PreventionTriggerFired: 'kz.safecity.prevention.v1.PreventionTriggerFired',

  AuditRecorded: 'kz.safecity.audit.v1.AuditRecorded',
} as const;

export type EventType = (typeof EventTypes)[keyof typeof EventTypes];

/** The record value type of each event type. */
export interface EventPayloads {
  [EventTypes.CameraRegistered]: CameraChanged;
  [EventTypes.CameraUpdated]: CameraChanged;
  [EventTypes.CameraDecommissioned]: CameraChanged;
  [EventTypes.CameraStatusChanged]: CameraStatusChanged;
  [EventTypes.CameraHeartbeatReceived]: CameraHeartbeat;
  [EventTypes.CameraMediaSourceChanged]: CameraMediaSourceChanged;

  [EventTypes.RawDetectionReceived]: RawDetectionReceived;
  [EventTypes.DetectionObserved]: DetectionObserved;
  [EventTypes.PlateMatched]: PlateMatched;
  [EventTypes.FaceMatched]: FaceMatched;
  [EventTypes.MatchStatusChanged]: MatchStatusChanged;
  [EventTypes.BehaviourAlertRaised]: BehaviourAlertRaised;

  [EventTypes.CitizenReportSubmitted]: CitizenReportSubmitted;
  [EventTypes.IncidentCreated]: IncidentChanged;
  [EventTypes.IncidentUpdated]: IncidentChanged;
  [EventTypes.IncidentStateChanged]: IncidentChanged;
  [EventTypes.IncidentAssigned]: IncidentChanged;

  [EventTypes.PreventionCaseOpened]: PreventionCaseChanged;
  [EventTypes.PreventionCaseUpdated]: PreventionCaseChanged;
  [EventTypes.PreventionCaseStatusChanged]: PreventionCaseChanged;
  [EventTypes.PreventionCaseMeasuresChanged]: PreventionCaseChanged;
  [EventTypes.PreventionTriggerFired]: PreventionTriggerFired;

  [EventTypes.AuditRecorded]: AuditRecorded;
}

/** Binary protobuf codec of a record value. */
export interface EventCodec<T> {
  encode(message: T): Uint8Array;
  decode(bytes: Uint8Array): T;
}

export interface EventDefinition<K extends EventType = EventType> {
  type: K;
  /** Topic the event is published to. */
  topic: Topic;
  /** Fully-qualified protobuf message name of the record value. */
  messageName: string;
  codec: EventCodec<EventPayloads[K]>;
}

/** The static encode/decode pair every generated message constant has. */
interface GeneratedMessage<T> {
  encode(message: T): { finish(): Uint8Array };
  decode(input: Uint8Array): T;
}

function codec<T>(message: GeneratedMessage<T>): EventCodec<T> {
  return {
    encode: (value) => message.encode(value).finish(),
    decode: (bytes) => message.decode(bytes),
  };
}

const cameraChanged = codec(CameraChanged);
const incidentChanged = codec(IncidentChanged);
const preventionCaseChanged = codec(PreventionCaseChanged);

function define<K extends EventType>(
  type: K,
  topic: Topic,
  messageName: string,
  eventCodec: EventCodec<EventPayloads[K]>,
): EventDefinition<K> {
  return { type, topic, messageName, codec: eventCodec };
}

export const EventRegistry: { readonly [K in EventType]: EventDefinition<K> } = {
  [EventTypes.CameraRegistered]: define(
    EventTypes.CameraRegistered,
    Topics.Cameras,
    'safecity.cameras.v1.CameraChanged',
    cameraChanged,
  ),
  [EventTypes.CameraUpdated]: define(
    EventTypes.CameraUpdated,
    Topics.Cameras,
    'safecity.cameras.v1.CameraChanged',
    cameraChanged,
  ),
  [EventTypes.CameraDecommissioned]: define(
    EventTypes.CameraDecommissioned,
    Topics.Cameras,
    'safecity.cameras.v1.CameraChanged',
    cameraChanged,
  ),
  [EventTypes.CameraStatusChanged]: define(
    EventTypes.CameraStatusChanged,
    Topics.CameraStatus,
    'safecity.cameras.v1.CameraStatusChanged',
    codec(CameraStatusChanged),
  ),
  [EventTypes.CameraHeartbeatReceived]: define(
    EventTypes.CameraHeartbeatReceived,
    Topics.CameraHeartbeats,
    'safecity.cameras.v1.CameraHeartbeat',
    codec(CameraHeartbeat),
  ),
  [EventTypes.CameraMediaSourceChanged]: define(
    EventTypes.CameraMediaSourceChanged,
    Topics.CameraMedia,
    'safecity.cameras.v1.CameraMediaSourceChanged',
    codec(CameraMediaSourceChanged),
  ),

  [EventTypes.RawDetectionReceived]: define(
    EventTypes.RawDetectionReceived,
    Topics.DetectionsRaw,
    'safecity.recognition.v1.RawDetectionReceived',
    codec(RawDetectionReceived),
  ),
  [EventTypes.DetectionObserved]: define(
    EventTypes.DetectionObserved,
    Topics.Detections,
    'safecity.recognition.v1.DetectionObserved',
    codec(DetectionObserved),
  ),
  [EventTypes.PlateMatched]: define(
    EventTypes.PlateMatched,
    Topics.Matches,
    'safecity.recognition.v1.PlateMatched',
    codec(PlateMatched),
  ),
  [EventTypes.FaceMatched]: define(
    EventTypes.FaceMatched,
    Topics.Matches,
    'safecity.recognition.v1.FaceMatched',
    codec(FaceMatched),
  ),
  [EventTypes.MatchStatusChanged]: define(
    EventTypes.MatchStatusChanged,
    Topics.Matches,
    'safecity.recognition.v1.MatchStatusChanged',
    codec(MatchStatusChanged),
  ),
  [EventTypes.BehaviourAlertRaised]: define(
    EventTypes.BehaviourAlertRaised,
    Topics.Alerts,
    'safecity.recognition.v1.BehaviourAlertRaised',
    codec(BehaviourAlertRaised),
  ),

  [EventTypes.CitizenReportSubmitted]: define(
    EventTypes.CitizenReportSubmitted,
    Topics.CitizenReports,
    'safecity.incidents.v1.CitizenReportSubmitted',
    codec(CitizenReportSubmitted),
  ),
  [EventTypes.IncidentCreated]: define(
    EventTypes.IncidentCreated,
    Topics.Incidents,
    'safecity.incidents.v1.IncidentChanged',
    incidentChanged,
  ),
  [EventTypes.IncidentUpdated]: define(
    EventTypes.IncidentUpdated,
    Topics.Incidents,
    'safecity.incidents.v1.IncidentChanged',
    incidentChanged,
  ),
  [EventTypes.IncidentStateChanged]: define(
    EventTypes.IncidentStateChanged,
    Topics.Incidents,
    'safecity.incidents.v1.IncidentChanged',
    incidentChanged,
  ),
  [EventTypes.IncidentAssigned]: define(
    EventTypes.IncidentAssigned,
    Topics.Incidents,
    'safecity.incidents.v1.IncidentChanged',
    incidentChanged,
  ),

  [EventTypes.PreventionCaseOpened]: define(
    EventTypes.PreventionCaseOpened,
    Topics.Prevention,
    'safecity.prevention.v1.PreventionCaseChanged',
    preventionCaseChanged,
  ),
  [EventTypes.PreventionCaseUpdated]: define(
    EventTypes.PreventionCaseUpdated,
    Topics.Prevention,
    'safecity.prevention.v1.PreventionCaseChanged',
    preventionCaseChanged,
  ),
  [EventTypes.PreventionCaseStatusChanged]: define(
    EventTypes.PreventionCaseStatusChanged,
    Topics.Prevention,
    'safecity.prevention.v1.PreventionCaseChanged',
    preventionCaseChanged,
  ),
  [EventTypes.PreventionCaseMeasuresChanged]: define(
    EventTypes.PreventionCaseMeasuresChanged,
    Topics.Prevention,
    'safecity.prevention.v1.PreventionCaseChanged',
    preventionCaseChanged,
  ),
  [EventTypes.PreventionTriggerFired]: define(
    EventTypes.PreventionTriggerFired,
    Topics.Prevention,
    'safecity.prevention.v1.PreventionTriggerFired',
    codec(PreventionTriggerFired),
  ),

  [EventTypes.AuditRecorded]: define(
    EventTypes.AuditRecorded,
    Topics.Audit,
    'safecity.audit.v1.AuditRecorded',
    codec(AuditRecorded),
  ),
};

export const ALL_EVENT_TYPES: readonly EventType[] = Object.values(EventTypes);

export function isEventType(type: string): type is EventType {
  return Object.prototype.hasOwnProperty.call(EventRegistry, type);
}

export class UnknownEventTypeError extends Error {
  constructor(readonly eventType: string) {
    super(`unknown event type "${eventType}"`);
    this.name = 'UnknownEventTypeError';
  }
}

export function eventDefinition<K extends EventType>(type: K): EventDefinition<K>;
export function eventDefinition(type: string): EventDefinition;
export function eventDefinition(type: string): EventDefinition {
  if (!isEventType(type)) throw new UnknownEventTypeError(type);
  return EventRegistry[type] as EventDefinition;
}

/**
 * The codec of a `ce_type`, or undefined for a type this build does not know. Fits the
 * `codecs` option of the messaging transports (`EventCodecRegistry`).
 */
export function eventCodecFor(type: string): EventCodec<unknown> | undefined {
  return isEventType(type) ? (EventRegistry[type].codec as EventCodec<unknown>) : undefined;
}

/** A decoded record value together with its type, narrowable with `switch (event.type)`. */
export type DecodedEvent = { [K in EventType]: { type: K; message: EventPayloads[K] } }[EventType];

/**
 * Decodes a record value by its `ce_type` header. Throws UnknownEventTypeError for a type this
 * build does not know (typically a newer producer: dead-letter it rather than skip it), and the
 * codec's error for bytes that are not the registered message.
 */
export function decodeEvent(type: string, value: Uint8Array): DecodedEvent {
  const definition = eventDefinition(type);
  return { type: definition.type, message: definition.codec.decode(value) } as DecodedEvent;
}

/**
 * Encodes a record value. For change events, throws if the message's `kind` disagrees with the
 * type, since consumers filter on the header and would act on the wrong kind of change.
 */
export function encodeEvent<K extends EventType>(type: K, message: EventPayloads[K]): Uint8Array {
  const kind = expectedChangeKind(type);
  if (kind !== undefined && (message as { kind?: number }).kind !== kind) {
    throw new RangeError(
      `${type} must carry kind ${kind}, got ${String((message as { kind?: number }).kind)}`,
    );
  }
  return eventDefinition(type).codec.encode(message);
}

// Kind -> type maps for the change events. UNSPECIFIED has no type on purpose: publishing a
// change without saying what changed is a producer bug.

export type CameraChangedEventType =
  | typeof EventTypes.CameraRegistered
  | typeof EventTypes.CameraUpdated
  | typeof EventTypes.CameraDecommissioned;

export type IncidentChangedEventType =
  | typeof EventTypes.IncidentCreated
  | typeof EventTypes.IncidentUpdated
  | typeof EventTypes.IncidentStateChanged
  | typeof EventTypes.IncidentAssigned;

export type PreventionCaseChangedEventType =
  | typeof EventTypes.PreventionCaseOpened
  | typeof EventTypes.PreventionCaseUpdated
  | typeof EventTypes.PreventionCaseStatusChanged
  | typeof EventTypes.PreventionCaseMeasuresChanged;

const CAMERA_CHANGED_TYPES = new Map<CameraChangeKind, CameraChangedEventType>([
  [CameraChangeKind.CAMERA_CHANGE_KIND_REGISTERED, EventTypes.CameraRegistered],
  [CameraChangeKind.CAMERA_CHANGE_KIND_UPDATED, EventTypes.CameraUpdated],
  [CameraChangeKind.CAMERA_CHANGE_KIND_DECOMMISSIONED, EventTypes.CameraDecommissioned],
]);

const INCIDENT_CHANGED_TYPES = new Map<IncidentChangeKind, IncidentChangedEventType>([
  [IncidentChangeKind.INCIDENT_CHANGE_KIND_CREATED, EventTypes.IncidentCreated],
  [IncidentChangeKind.INCIDENT_CHANGE_KIND_UPDATED, EventTypes.IncidentUpdated],
  [IncidentChangeKind.INCIDENT_CHANGE_KIND_STATE_CHANGED, EventTypes.IncidentStateChanged],
  [IncidentChangeKind.INCIDENT_CHANGE_KIND_ASSIGNED, EventTypes.IncidentAssigned],
]);

const PREVENTION_CASE_CHANGED_TYPES = new Map<PreventionCaseChangeKind, PreventionCaseChangedEventType>([
  [PreventionCaseChangeKind.PREVENTION_CASE_CHANGE_KIND_OPENED, EventTypes.PreventionCaseOpened],
  [PreventionCaseChangeKind.PREVENTION_CASE_CHANGE_KIND_UPDATED, EventTypes.PreventionCaseUpdated],
  [
    PreventionCaseChangeKind.PREVENTION_CASE_CHANGE_KIND_STATUS_CHANGED,
    EventTypes.PreventionCaseStatusChanged,
  ],
  [
    PreventionCaseChangeKind.PREVENTION_CASE_CHANGE_KIND_MEASURES_CHANGED,
    EventTypes.PreventionCaseMeasuresChanged,
  ],
]);

function typeForKind<K extends number, T extends EventType>(map: Map<K, T>, kind: K, message: string): T {
  const type = map.get(kind);
  if (type === undefined) throw new RangeError(`${message} has no event type for kind ${kind}`);
  return type;
}

export function cameraChangedEventType(kind: CameraChangeKind): CameraChangedEventType {
  return typeForKind(CAMERA_CHANGED_TYPES, kind, 'CameraChanged');
}

export function incidentChangedEventType(kind: IncidentChangeKind): IncidentChangedEventType {
  return typeForKind(INCIDENT_CHANGED_TYPES, kind, 'IncidentChanged');
}

export function preventionCaseChangedEventType(
  kind: PreventionCaseChangeKind,
): PreventionCaseChangedEventType {
  return typeForKind(PREVENTION_CASE_CHANGED_TYPES, kind, 'PreventionCaseChanged');
}

const KIND_MAPS: ReadonlyMap<number, EventType>[] = [
  CAMERA_CHANGED_TYPES,
  INCIDENT_CHANGED_TYPES,
  PREVENTION_CASE_CHANGED_TYPES,
];

/**
 * The `kind` a change event of this type must carry, or undefined for events without kinds.
 */
export function expectedChangeKind(type: EventType): number | undefined {
  for (const map of KIND_MAPS) {
    for (const [kind, mapped] of map) if (mapped === type) return kind;
  }
  return undefined;
}
