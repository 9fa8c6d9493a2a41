import * as path from 'path';
import * as protobuf from 'protobufjs';
import {
  ALL_EVENT_TYPES,
  ALL_TOPICS,
  CameraChangeKind,
  cameraChangedEventType,
  decodeEvent,
  dlqTopic,
  encodeEvent,
  eventCodecFor,
  eventDefinition,
  EventRegistry,
  EventType,
  EventTypes,
  incidentChangedEventType,
  incidents,
  isEventType,
  preventionCaseChangedEventType,
  prevention,
  PROTO_ROOT,
  retryTopic,
  sourceTopic,
  Topics,
  UnknownEventTypeError,
} from './index';

const PROTO_FILES = ['common', 'cameras', 'recognition', 'incidents', 'prevention', 'audit'].map(
  (domain) => `safecity/${domain}/v1/${domain}.proto`,
);

/** The contract as written, comments included: the proto files document each event's type. */
function loadContract(): protobuf.Root {
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => (path.isAbsolute(target) ? target : path.join(PROTO_ROOT, target));
  root.loadSync(PROTO_FILES, { keepCase: true, alternateCommentMode: true });
  root.resolveAll();
  return root;
}

function messagesOf(ns: protobuf.NamespaceBase): protobuf.Type[] {
  return ns.nestedArray.flatMap((nested) => [
    ...(nested instanceof protobuf.Type ? [nested] : []),
    ...(nested instanceof protobuf.Namespace ? messagesOf(nested) : []),
  ]);
}

const fullName = (type: protobuf.Type) => type.fullName.replace(/^\./, '');

/** Expands "kz.x.v1.Camera{Registered,Updated}" into its types. */
function expandCeTypes(spec: string): string[] {
  const match = /^([\w.]+)(?:\{([^}]*)\})?$/.exec(spec);
  if (!match) throw new Error(`unparseable ce_type "${spec}"`);
  const [, prefix, alternatives] = match;
  return alternatives ? alternatives.split(',').map((alternative) => prefix + alternative.trim()) : [prefix];
}

interface DocumentedEvent {
  messageName: string;
  topic: string;
  types: string[];
}

/** Event messages are those whose comment names their topic and ce_type. */
function documentedEvents(root: protobuf.Root): DocumentedEvent[] {
  return messagesOf(root)
    .filter((type) => /Value of topic|ce_type:/.test(type.comment ?? ''))
    .map((type) => {
      const comment = (type.comment ?? '')
        .replace(/\s+/g, ' ')
        .replace(/\{[^}]*\}/g, (b) => b.replace(/ /g, ''));
      const topic = /Value of topic ([\w.-]+)/.exec(comment)?.[1];
      const ceType = /ce_type: ([\w.{},]+?)(?:,? by kind)?\.?(?: |$)/.exec(comment)?.[1];
      if (!topic || !ceType) throw new Error(`${fullName(type)} documents a topic or ce_type, but not both`);
      return { messageName: fullName(type), topic, types: expandCeTypes(ceType) };
    });
}

describe('event type registry', () => {
  const root = loadContract();
  const documented = documentedEvents(root);

  it('registers exactly the event types the contract documents, with their message and topic', () => {
    const fromContract = documented
      .flatMap(({ messageName, topic, types }) => types.map((type) => ({ type, messageName, topic })))
      .sort((a, b) => a.type.localeCompare(b.type));
    const registered = Object.values(EventRegistry)
      .map(({ type, messageName, topic }) => ({ type, messageName, topic }))
      .sort((a, b) => a.type.localeCompare(b.type));

    expect(fromContract.length).toBeGreaterThan(0);
    expect(registered).toEqual(fromContract);
  });

  it('covers every event message of every domain', () => {
    const eventMessages = new Set(documented.map((event) => event.messageName));
    const registeredMessages = new Set(Object.values(EventRegistry).map((d) => d.messageName));

    expect([...registeredMessages].sort()).toEqual([...eventMessages].sort());
    for (const domain of ['cameras', 'recognition', 'incidents', 'prevention', 'audit']) {
      expect([...eventMessages].some((name) => name.startsWith(`safecity.${domain}.v1.`))).toBe(true);
    }
  });

  it('names each type kz.<protobuf package>.<Event> and keys the registry by it', () => {
    for (const [key, definition] of Object.entries(EventRegistry)) {
      const pkg = definition.messageName.slice(0, definition.messageName.lastIndexOf('.'));
      expect(definition.type).toBe(key);
      expect(definition.type).toMatch(new RegExp(`^kz\\.${pkg.replace(/\./g, '\\.')}\\.[A-Z][A-Za-z]+$`));
    }
    expect([...ALL_EVENT_TYPES].sort()).toEqual(Object.keys(EventRegistry).sort());
  });

  it('gives each type the codec of its message', () => {
    for (const definition of Object.values(EventRegistry)) {
      const type = root.lookupType(definition.messageName);
      const fieldsOutsideOneofs = type.fieldsArray.filter((field) => !field.partOf).map((f) => f.name);
      const decodedEmpty = definition.codec.decode(new Uint8Array()) as object;

      // ts-proto's decoder fills every non-oneof field, so the keys are the message's fields.
      expect(Object.keys(decodedEmpty).sort()).toEqual(fieldsOutsideOneofs.map(camel).sort());
    }
  });

  it('publishes only to known topics, and every topic carries events', () => {
    const used = new Set(Object.values(EventRegistry).map((d) => d.topic));
    for (const topic of used) expect(ALL_TOPICS).toContain(topic);
    expect(ALL_TOPICS.filter((topic) => !used.has(topic))).toEqual([]);
    expect(eventDefinition(EventTypes.AuditRecorded).topic).toBe(Topics.Audit);
  });

  it('decodes by type and rejects unknown types', () => {
    const bytes = encodeEvent(EventTypes.IncidentCreated, {
      kind: incidents.IncidentChangeKind.INCIDENT_CHANGE_KIND_CREATED,
      incident: incidents.Incident.fromPartial({
        id: 'i-1',
        state: incidents.IncidentState.INCIDENT_STATE_NEW,
        createdAt: new Date('2025-05-01T00:00:00.000Z'),
      }),
      previousState: incidents.IncidentState.INCIDENT_STATE_NEW,
      actor: null,
      reason: '',
      changedAt: new Date('2025-05-01T00:00:00.000Z'),
    });

    const event = decodeEvent('kz.safecity.incidents.v1.IncidentCreated', bytes);
    if (event.type !== EventTypes.IncidentCreated) throw new Error('narrowing failed');
    expect(event.message.incident?.id).toBe('i-1');
    expect(event.message.incident?.createdAt).toEqual(new Date('2025-05-01T00:00:00.000Z'));

    expect(isEventType('kz.safecity.incidents.v1.IncidentCreated')).toBe(true);
    expect(isEventType('kz.safecity.incidents.v1.IncidentExploded')).toBe(false);
    expect(isEventType('toString')).toBe(false);
    expect(() => decodeEvent('kz.safecity.incidents.v1.IncidentExploded', bytes)).toThrow(
      UnknownEventTypeError,
    );
    expect(() => eventDefinition('toString')).toThrow(UnknownEventTypeError);
    expect(eventCodecFor(EventTypes.IncidentCreated)?.decode(bytes)).toEqual(event.message);
    expect(eventCodecFor('kz.safecity.incidents.v1.IncidentExploded')).toBeUndefined();
  });

  it('maps every change kind to its own type and refuses UNSPECIFIED', () => {
    const kindsOf = (enumObject: object) =>
      Object.values(enumObject).filter((value): value is number => typeof value === 'number' && value !== 0);

    const mapped: EventType[] = [
      ...kindsOf(CameraChangeKind).map((kind) => cameraChangedEventType(kind)),
      ...kindsOf(incidents.IncidentChangeKind).map((kind) => incidentChangedEventType(kind)),
      ...kindsOf(prevention.PreventionCaseChangeKind).map((kind) => preventionCaseChangedEventType(kind)),
    ];
    expect(new Set(mapped).size).toBe(mapped.length);

    expect(cameraChangedEventType(CameraChangeKind.CAMERA_CHANGE_KIND_DECOMMISSIONED)).toBe(
      'kz.safecity.cameras.v1.CameraDecommissioned',
    );
    expect(() => cameraChangedEventType(CameraChangeKind.CAMERA_CHANGE_KIND_UNSPECIFIED)).toThrow(RangeError);
  });

  it('refuses to encode a change event whose kind disagrees with its type', () => {
    const registered = { kind: CameraChangeKind.CAMERA_CHANGE_KIND_REGISTERED, camera: null };
    expect(() => encodeEvent(EventTypes.CameraUpdated, registered)).toThrow(RangeError);
    expect(encodeEvent(EventTypes.CameraRegistered, registered)).toBeInstanceOf(Uint8Array);
  });
});

describe('topics', () => {
  it('follow safecity.<stream>.v1', () => {
    for (const topic of ALL_TOPICS) expect(topic).toMatch(/^safecity\.[a-z][a-z.-]*\.v1$/);
    expect(Topics.Cameras).toBe('safecity.cameras.v1');
    expect(Topics.DetectionsRaw).toBe('safecity.detections.raw.v1');
  });

  it('derive retry and dead-letter topics from the source topic', () => {
    expect(retryTopic(Topics.Matches)).toBe('safecity.matches.v1.retry');
    expect(dlqTopic(Topics.Matches)).toBe('safecity.matches.v1.dlq');
    expect(dlqTopic(retryTopic(Topics.Matches))).toBe('safecity.matches.v1.dlq');
    expect(retryTopic(dlqTopic(Topics.Matches))).toBe('safecity.matches.v1.retry');
    expect(sourceTopic('safecity.matches.v1.dlq')).toBe(Topics.Matches);
    expect(sourceTopic(Topics.Matches)).toBe(Topics.Matches);
  });
});

function camel(snake: string): string {
  return snake.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}
