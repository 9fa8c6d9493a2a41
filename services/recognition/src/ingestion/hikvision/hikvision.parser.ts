import { common, recognition } from '@safecity/contracts';
import type { DetectionCandidate, ParsedEvents } from '../candidate';
import { contentEventId } from '../detection-id';
import { IngestPayloadError, Problems } from '../ingest-problems';
import { normalisePlateText } from '../vocabulary';
import { asArray, child, parseXml, text } from '../xml';
import { parseMultipart } from './multipart';

const { DetectionKind, BehaviourType } = recognition;

const BEHAVIOURS: Record<string, recognition.BehaviourType> = {
  linedetection: BehaviourType.BEHAVIOUR_TYPE_LINE_CROSSING,
  fielddetection: BehaviourType.BEHAVIOUR_TYPE_INTRUSION,
  regionentrance: BehaviourType.BEHAVIOUR_TYPE_INTRUSION,
  loitering: BehaviourType.BEHAVIOUR_TYPE_LOITERING,
  unattendedbaggage: BehaviourType.BEHAVIOUR_TYPE_ABANDONED_OBJECT,
  attendedbaggage: BehaviourType.BEHAVIOUR_TYPE_OBJECT_REMOVED,
  peoplegathering: BehaviourType.BEHAVIOUR_TYPE_CROWD,
  violentmotion: BehaviourType.BEHAVIOUR_TYPE_FIGHT,
  // ISAPI spells its fall detection event `failDown`.
  faildown: BehaviourType.BEHAVIOUR_TYPE_FALL,
  firedetection: BehaviourType.BEHAVIOUR_TYPE_FIRE_SMOKE,
  smokedetection: BehaviourType.BEHAVIOUR_TYPE_FIRE_SMOKE,
};
const FACE_EVENTS = new Set([
  'facecapture',
  'facedetection',
  'facesnap',
  'facesnapmatch',
  'facelibmatch',
  'alarmresult',
]);
const PLATE_EVENTS = new Set(['anpr', 'vehicledetection']);

const VEHICLE_TYPES: Record<string, recognition.VehicleType> = {
  vehicle: recognition.VehicleType.VEHICLE_TYPE_CAR,
  car: recognition.VehicleType.VEHICLE_TYPE_CAR,
  SUVMPV: recognition.VehicleType.VEHICLE_TYPE_CAR,
  truck: recognition.VehicleType.VEHICLE_TYPE_TRUCK,
  largeBus: recognition.VehicleType.VEHICLE_TYPE_BUS,
  bus: recognition.VehicleType.VEHICLE_TYPE_BUS,
  van: recognition.VehicleType.VEHICLE_TYPE_VAN,
  motorcycle: recognition.VehicleType.VEHICLE_TYPE_MOTORCYCLE,
  twoWheelVehicle: recognition.VehicleType.VEHICLE_TYPE_MOTORCYCLE,
};

const PICTURE_KINDS: Record<string, common.MediaKind> = {
  licenseplatepicture: common.MediaKind.MEDIA_KIND_PLATE_CROP,
  detectionpicture: common.MediaKind.MEDIA_KIND_SNAPSHOT,
  vehiclepicture: common.MediaKind.MEDIA_KIND_SNAPSHOT,
  backgroundimage: common.MediaKind.MEDIA_KIND_SNAPSHOT,
  faceimage: common.MediaKind.MEDIA_KIND_FACE_CROP,
};

const percent = (value: string | undefined) => {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) return 0;
  return Math.min(1, n > 1 ? n / 100 : n);
};

function isoTime(value: string | undefined): Date | undefined {
  if (!value || value.length > 40) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/.test(value)) return undefined;
  const date = new Date(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** A Hikvision `EventNotificationAlert` (ISAPI alarm host / HTTP listening) as XML. */
export function parseHikvisionXml(bytes: Buffer): ParsedEvents {
  return fromAlert(parseXml(bytes));
}

/** The multipart upload: the alert XML in one part, its pictures in the others. */
export function parseHikvisionMultipart(bytes: Buffer, contentType: string): ParsedEvents {
  const parts = parseMultipart(bytes, contentType);
  const xmlPart = parts.find(
    (p) => /xml/.test(p.contentType) || /\.xml$/i.test(p.filename) || /xml/i.test(p.name),
  );
  if (!xmlPart) throw IngestPayloadError.of('body', 'holds no EventNotificationAlert XML part');
  const parsed = fromAlert(parseXml(xmlPart.body));
  const pictures = parts.filter((p) => p !== xmlPart && /^image\//.test(p.contentType));
  for (const candidate of parsed.candidates) {
    candidate.pictures = pictures.map((p) => ({
      kind:
        PICTURE_KINDS[(p.name || p.filename).replace(/\.\w+$/, '').toLowerCase()] ??
        common.MediaKind.MEDIA_KIND_SNAPSHOT,
      contentType: p.contentType,
      bytes: p.body,
    }));
  }
  return parsed;
}

function fromAlert(doc: Record<string, unknown>): ParsedEvents {
  const alert = child(doc, 'EventNotificationAlert');
  if (!alert || typeof alert !== 'object')
    throw IngestPayloadError.of('body', 'must be an EventNotificationAlert');
  const problems = new Problems();
  const field = (name: string) => `EventNotificationAlert.${name}`;
  const get = (name: string) => text(child(alert, name))?.trim();
  const eventType = get('eventType') ?? '';
  if (!eventType || eventType.length > 60) problems.add(field('eventType'), 'is required');
  const state = get('eventState');
  const lower = eventType.toLowerCase();
  const isPlate = PLATE_EVENTS.has(lower);
  const isFace = FACE_EVENTS.has(lower);
  const behaviourType = BEHAVIOURS[lower];
  if (!isPlate && !isFace && behaviourType === undefined) {
    problems.throwIfAny();
    // Heartbeats, video loss, tampering, I/O alarms: understood, not detections.
    return { candidates: [], ignored: 1 };
  }
  if (state === 'inactive') return { candidates: [], ignored: 1 };
  const channel = get('channelID') ?? get('dynChannelID');
  if (!channel || channel.length > 64) problems.add(field('channelID'), 'is required');
  const observedAt = isoTime(get('dateTime'));
  if (!observedAt) problems.add(field('dateTime'), 'must be an ISO 8601 time with a zone');
  let observation: Pick<DetectionCandidate, 'kind' | 'plate' | 'face' | 'behaviour'> | undefined;
  if (isPlate) {
    const anpr = child(alert, 'ANPR');
    const plate = normalisePlateText(
      text(child(anpr, 'licensePlate')) ?? text(child(anpr, 'originalLicensePlate')) ?? '',
    );
    if (!plate || plate.length > 20)
      problems.add(field('ANPR.licensePlate'), 'must be 1 to 20 letters or digits');
    const vehicleInfo = child(anpr, 'vehicleInfo');
    const direction = text(child(anpr, 'direction'));
    observation = {
      kind: DetectionKind.DETECTION_KIND_PLATE,
      plate: {
        text: plate,
        // Hikvision numbers countries in its own table; the plate text is what matching needs.
        country: '',
        confidence: percent(text(child(anpr, 'confidenceLevel'))),
        vehicle: {
          type:
            VEHICLE_TYPES[text(child(anpr, 'vehicleType')) ?? ''] ??
            recognition.VehicleType.VEHICLE_TYPE_UNSPECIFIED,
          color: (text(child(vehicleInfo, 'color')) ?? '').slice(0, 40),
          make: '',
          model: '',
        },
        direction:
          direction === 'forward'
            ? recognition.TravelDirection.TRAVEL_DIRECTION_APPROACHING
            : direction === 'reverse'
              ? recognition.TravelDirection.TRAVEL_DIRECTION_RECEDING
              : recognition.TravelDirection.TRAVEL_DIRECTION_UNSPECIFIED,
      },
    };
  } else if (isFace) {
    const capture = child(alert, 'faceCapture') ?? child(alert, 'FaceDetection') ?? child(alert, 'faceSnap');
    const face = asArray(child(child(capture, 'faces'), 'face'))[0] ?? capture;
    observation = {
      kind: DetectionKind.DETECTION_KIND_FACE,
      face: {
        template: null,
        quality: percent(text(child(face, 'faceScore')) ?? text(child(face, 'quality'))),
        // A capture event is the detector having found a face; a graded one says how sure it is.
        confidence: percent(text(child(face, 'confidence')) ?? text(child(face, 'similarity')) ?? '1'),
      },
    };
  } else {
    const regions = asArray(child(child(alert, 'DetectionRegionList'), 'DetectionRegionEntry'));
    const region = regions[0];
    observation = {
      kind: DetectionKind.DETECTION_KIND_BEHAVIOUR,
      behaviour: {
        type: behaviourType!,
        // ISAPI behaviour alerts are a rule that fired; they carry no score.
        confidence: 1,
        ruleName: (text(child(region, 'regionID')) ?? '').slice(0, 200),
        objectCount: 0,
        dwellSeconds: 0,
      },
    };
  }
  problems.throwIfAny();
  const uuid = get('UUID');
  const vendorEventId =
    uuid && uuid.length <= 100
      ? uuid
      : contentEventId(
          'hikvision',
          get('macAddress') ?? get('ipAddress') ?? '',
          channel!,
          eventType,
          get('dateTime') ?? '',
          get('activePostCount') ?? '',
        );
  return {
    candidates: [
      {
        vendorEventId,
        cameraExternalId: channel!,
        observedAt: observedAt!,
        frameBox: null,
        media: [],
        ...observation!,
      },
    ],
    ignored: 0,
  };
}
