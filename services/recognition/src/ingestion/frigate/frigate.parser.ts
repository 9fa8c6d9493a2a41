import { recognition } from '@safecity/contracts';
import type { DetectionCandidate, ParsedEvents } from '../candidate';
import { FieldReader } from '../field-reader';
import { IngestPayloadError, Problems } from '../ingest-problems';
import { checkJsonBounds, type JsonBounds } from '../json-bounds';
import { normalisePlateText } from '../vocabulary';

const { DetectionKind, BehaviourType } = recognition;
const VEHICLES: Record<string, recognition.VehicleType> = {
  car: recognition.VehicleType.VEHICLE_TYPE_CAR,
  truck: recognition.VehicleType.VEHICLE_TYPE_TRUCK,
  bus: recognition.VehicleType.VEHICLE_TYPE_BUS,
  motorcycle: recognition.VehicleType.VEHICLE_TYPE_MOTORCYCLE,
};
const MAX_BYTES = 256 * 1024;
/** A Frigate event holds a few dozen objects and arrays (boxes, zones, attributes). */
const FRIGATE_JSON_BOUNDS: JsonBounds = { containers: 1_000, values: 20_000, depth: 12 };

/** Frigate times are epoch seconds with a fraction. */
function epoch(value: unknown): Date | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > 32_503_680_000)
    return undefined;
  return new Date(Math.round(value * 1000));
}

/**
 * One message of Frigate's `frigate/events` topic (the same JSON is accepted over HTTP):
 * `{ type: new|update|end, before, after }`. Every message about one Frigate event id is the same
 * detection; each carries `after.frame_time`, so a later message replaces what an earlier one said
 * (a plate read that improved, the event's end) and a repeated one changes nothing.
 */
export function parseFrigateEvent(bytes: Buffer): ParsedEvents {
  if (bytes.length > MAX_BYTES)
    throw IngestPayloadError.of('body', `must be at most ${MAX_BYTES} bytes`, 413);
  checkJsonBounds(bytes, FRIGATE_JSON_BOUNDS);
  let body: unknown;
  try {
    body = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw IngestPayloadError.of('body', `is not valid JSON: ${(error as Error).message.slice(0, 200)}`);
  }
  const problems = new Problems();
  const read = new FieldReader(problems);
  const root = read.object(body, 'body');
  problems.throwIfAny();
  const type = read.oneOf(root!['type'], 'type', { new: 'new', update: 'update', end: 'end' });
  const after = read.object(root!['after'], 'after');
  problems.throwIfAny();
  const a = after!;
  const id = read.string(a['id'], 'after.id', { max: 100 });
  const camera = read.string(a['camera'], 'after.camera', { max: 100 });
  const label = read.string(a['label'], 'after.label', { max: 60 });
  const startTime = epoch(a['start_time']);
  if (!startTime) problems.add('after.start_time', 'must be epoch seconds');
  const frameTime = epoch(a['frame_time']) ?? startTime;
  const score = read.number(a['top_score'] ?? a['score'], 'after.top_score', { min: 0, max: 1 }) ?? 0;
  const zones = a['entered_zones'];
  if (
    zones !== undefined &&
    zones !== null &&
    (!Array.isArray(zones) || zones.some((z) => typeof z !== 'string'))
  ) {
    problems.add('after.entered_zones', 'must be an array of zone names');
  }
  const plateRaw = a['recognized_license_plate'];
  if (plateRaw !== undefined && plateRaw !== null && typeof plateRaw !== 'string') {
    problems.add('after.recognized_license_plate', 'must be a string');
  }
  problems.throwIfAny();
  if (a['false_positive'] === true || type === undefined) return { candidates: [], ignored: 1 };

  let observation: Pick<DetectionCandidate, 'kind' | 'plate' | 'face' | 'behaviour'> | undefined;
  const plate = typeof plateRaw === 'string' ? normalisePlateText(plateRaw) : '';
  const zoneNames = ((zones as string[] | null | undefined) ?? []).slice(0, 20).join(',').slice(0, 200);
  if (plate && plate.length <= 20) {
    const plateScore = read.number(
      a['recognized_license_plate_score'],
      'after.recognized_license_plate_score',
      {
        min: 0,
        max: 1,
      },
    );
    observation = {
      kind: DetectionKind.DETECTION_KIND_PLATE,
      plate: {
        text: plate,
        country: '',
        confidence: plateScore ?? score,
        vehicle:
          VEHICLES[label!] !== undefined ? { type: VEHICLES[label!]!, color: '', make: '', model: '' } : null,
        direction: recognition.TravelDirection.TRAVEL_DIRECTION_UNSPECIFIED,
      },
    };
  } else if (label === 'face') {
    observation = {
      kind: DetectionKind.DETECTION_KIND_FACE,
      face: { template: null, quality: 0, confidence: score },
    };
  } else if (label === 'fire' || label === 'smoke') {
    observation = behaviour(BehaviourType.BEHAVIOUR_TYPE_FIRE_SMOKE, score, zoneNames);
  } else if (label === 'person' && zoneNames) {
    // A person entering a configured zone is Frigate's intrusion; loitering zones say so by name.
    const loitering = /loiter/i.test(zoneNames);
    observation = behaviour(
      loitering ? BehaviourType.BEHAVIOUR_TYPE_LOITERING : BehaviourType.BEHAVIOUR_TYPE_INTRUSION,
      score,
      zoneNames,
    );
  }
  problems.throwIfAny();
  if (!observation) return { candidates: [], ignored: 1 };
  return {
    candidates: [
      {
        vendorEventId: id!,
        cameraExternalId: camera!,
        observedAt: startTime!,
        revisedAt: frameTime!,
        frameBox: null,
        media: [],
        ...observation,
      },
    ],
    ignored: 0,
  };
}

function behaviour(type: recognition.BehaviourType, confidence: number, ruleName: string) {
  return {
    kind: DetectionKind.DETECTION_KIND_BEHAVIOUR,
    behaviour: { type, confidence, ruleName, objectCount: 1, dwellSeconds: 0 },
  };
}
