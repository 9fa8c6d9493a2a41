import { recognition } from '@safecity/contracts';
import type { DetectionCandidate, ParsedEvents } from '../candidate';
import { contentEventId } from '../detection-id';
import { IngestPayloadError, Problems } from '../ingest-problems';
import { LIMITS, normalisePlateText } from '../vocabulary';
import { asArray, child, parseXml, text } from '../xml';

const { DetectionKind, BehaviourType } = recognition;

/** Source items that name the video source, in order of preference across ONVIF devices. */
const SOURCE_KEYS = [
  'VideoSourceConfigurationToken',
  'VideoSourceToken',
  'VideoSource',
  'Source',
  'InputToken',
];
const MAX_MESSAGES = 1000;

type Items = Map<string, string>;

interface TopicRule {
  test: RegExp;
  /** Undefined when the message carries no detection (a state that ended). */
  build(data: Items): Pick<DetectionCandidate, 'kind' | 'plate' | 'behaviour' | 'face'> | undefined;
}

const isFalse = (value: string | undefined) => value !== undefined && /^(false|0)$/i.test(value);
const unit = (value: string | undefined, fallback: number) => {
  const n = value === undefined ? NaN : Number(value);
  if (!Number.isFinite(n)) return fallback;
  // Some devices report likelihood in percent.
  const scaled = n > 1 ? n / 100 : n;
  return Math.min(1, Math.max(0, scaled));
};
const count = (value: string | undefined) => {
  const n = Number(value);
  return Number.isInteger(n) && n >= 0 && n <= 1_000_000 ? n : 0;
};

function behaviour(type: recognition.BehaviourType, stateItem?: string): TopicRule['build'] {
  return (data) => {
    if (stateItem && isFalse(data.get(stateItem))) return undefined;
    return {
      kind: DetectionKind.DETECTION_KIND_BEHAVIOUR,
      // A rule-engine event is the rule firing; devices that grade it say so in Likelihood.
      behaviour: {
        type,
        confidence: unit(data.get('Likelihood'), 1),
        ruleName: '',
        objectCount: count(data.get('Count') ?? data.get('ObjectCount')),
        dwellSeconds: 0,
      },
    };
  };
}

/** The analytics topics of the ONVIF Analytics Service and Profile M the platform turns into detections. */
const RULES: TopicRule[] = [
  {
    test: /RuleEngine\/LineDetector\/Crossed$/,
    build: behaviour(BehaviourType.BEHAVIOUR_TYPE_LINE_CROSSING),
  },
  {
    test: /RuleEngine\/FieldDetector\/ObjectsInside$/,
    build: behaviour(BehaviourType.BEHAVIOUR_TYPE_INTRUSION, 'IsInside'),
  },
  {
    test: /RuleEngine\/LoiteringDetector\/ObjectIsLoitering$/,
    build: behaviour(BehaviourType.BEHAVIOUR_TYPE_LOITERING, 'IsLoitering'),
  },
  {
    test: /RuleEngine\/[^/]*\/(ObjectIsAbandoned|AbandonedObject|Abandoned)/i,
    build: behaviour(BehaviourType.BEHAVIOUR_TYPE_ABANDONED_OBJECT, 'IsAbandoned'),
  },
  {
    test: /RuleEngine\/[^/]*\/(ObjectIsRemoved|RemovedObject|Removed)/i,
    build: behaviour(BehaviourType.BEHAVIOUR_TYPE_OBJECT_REMOVED, 'IsRemoved'),
  },
  { test: /RuleEngine\/CountAggregation\/Counter$/, build: behaviour(BehaviourType.BEHAVIOUR_TYPE_CROWD) },
  {
    test: /Recognition\/LicensePlate$/,
    build: (data) => {
      const plate = normalisePlateText(
        data.get('PlateNumber') ?? data.get('LicensePlate') ?? data.get('Plate') ?? '',
      );
      if (!plate || plate.length > 20) return undefined;
      const country = (data.get('CountryCode') ?? data.get('Country') ?? '').toUpperCase();
      return {
        kind: DetectionKind.DETECTION_KIND_PLATE,
        plate: {
          text: plate,
          country: /^[A-Z]{2}$/.test(country) ? country : '',
          confidence: unit(data.get('Likelihood') ?? data.get('Confidence'), 0),
          vehicle: null,
          direction: recognition.TravelDirection.TRAVEL_DIRECTION_UNSPECIFIED,
        },
      };
    },
  },
  {
    test: /Recognition\/Face$/,
    build: (data) => ({
      kind: DetectionKind.DETECTION_KIND_FACE,
      // ONVIF events carry no template; the face is recorded, and matched only by systems that send one.
      face: {
        template: null,
        quality: 0,
        confidence: unit(data.get('Likelihood') ?? data.get('Confidence'), 0),
      },
    }),
  },
];

function simpleItems(value: unknown, problems: Problems, field: string): Items {
  const items: Items = new Map();
  for (const item of asArray(child(value, 'SimpleItem'))) {
    const name = text(child(item, '@Name'));
    const v = text(child(item, '@Value'));
    if (!name || v === undefined) continue;
    if (name.length > 100 || v.length > LIMITS.textLength) {
      problems.add(`${field}.${name.slice(0, 100)}`, `must be at most ${LIMITS.textLength} characters`);
      continue;
    }
    items.set(name, v);
  }
  return items;
}

function utcTime(value: string | undefined): Date | undefined {
  if (!value || value.length > 40) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/.test(value)) return undefined;
  // UtcTime is UTC by definition; some devices leave the zone out.
  const date = new Date(/(Z|[+-]\d{2}:\d{2})$/.test(value) ? value : `${value}Z`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/**
 * A WS-Notification `Notify` (as pushed to a notification consumer, or as the messages of a
 * PullMessages response) with `tt:Message` payloads. ONVIF events have no id of their own: the
 * vendor event id is a digest of topic, producer, source, time and data, so a re-sent
 * notification is the same event.
 */
export function parseOnvifNotify(bytes: Buffer): ParsedEvents {
  const doc = parseXml(bytes);
  const body = child(child(doc, 'Envelope'), 'Body');
  const container = child(body, 'Notify') ?? child(body, 'PullMessagesResponse');
  if (!container)
    throw IngestPayloadError.of('Envelope.Body', 'must hold a wsnt:Notify or PullMessagesResponse');
  const messages = asArray(child(container, 'NotificationMessage'));
  if (messages.length > MAX_MESSAGES) {
    throw IngestPayloadError.of(
      'Notify.NotificationMessage',
      `must hold at most ${MAX_MESSAGES} messages`,
      413,
    );
  }
  const problems = new Problems();
  const candidates: DetectionCandidate[] = [];
  let ignored = 0;
  messages.forEach((notification, i) => {
    const field = `NotificationMessage[${i}]`;
    const topic = text(child(notification, 'Topic'))?.trim();
    if (!topic || topic.length > 400) {
      problems.add(`${field}.Topic`, 'is required');
      return;
    }
    const rule = RULES.find((r) => r.test.test(topic));
    if (!rule) {
      ignored += 1;
      return;
    }
    const message = child(child(notification, 'Message'), 'Message');
    if (!message || typeof message !== 'object') {
      problems.add(`${field}.Message`, 'must hold a tt:Message');
      return;
    }
    const operation = text(child(message, '@PropertyOperation'));
    if (operation === 'Deleted') {
      ignored += 1;
      return;
    }
    const observedAt = utcTime(text(child(message, '@UtcTime')));
    if (!observedAt) {
      problems.add(`${field}.Message.UtcTime`, 'must be an xs:dateTime');
      return;
    }
    const source = simpleItems(child(message, 'Source'), problems, `${field}.Message.Source`);
    const data = simpleItems(child(message, 'Data'), problems, `${field}.Message.Data`);
    const sourceKey = SOURCE_KEYS.find((k) => source.has(k));
    const producer = text(child(child(notification, 'ProducerReference'), 'Address')) ?? '';
    const cameraExternalId = sourceKey ? source.get(sourceKey)! : '';
    if (!cameraExternalId) {
      problems.addSemantic(
        `${field}.Message.Source`,
        `must name the video source (${SOURCE_KEYS.join(', ')})`,
      );
      return;
    }
    const observation = rule.build(data);
    if (!observation) {
      ignored += 1;
      return;
    }
    if (observation.behaviour) observation.behaviour.ruleName = source.get('Rule') ?? '';
    const flatten = (items: Items) => [...items].map(([k, v]) => `${k}=${v}`).join('&');
    candidates.push({
      vendorEventId: contentEventId(
        'onvif',
        topic,
        producer,
        flatten(source),
        observedAt.toISOString(),
        flatten(data),
      ),
      cameraExternalId,
      observedAt,
      frameBox: null,
      media: [],
      ...observation,
    });
  });
  problems.throwIfAny();
  return { candidates, ignored };
}
