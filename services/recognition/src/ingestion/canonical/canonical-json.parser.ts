import { common, recognition } from '@safecity/contracts';
import type { DetectionCandidate, FaceCandidate, ParsedEvents } from '../candidate';
import { FieldReader } from '../field-reader';
import { IngestPayloadError, Problems } from '../ingest-problems';
import { checkJsonBounds, type JsonBounds } from '../json-bounds';
import {
  BEHAVIOUR_TYPES,
  DETECTION_KINDS,
  DIRECTIONS,
  LIMITS,
  MEDIA_KINDS,
  normalisePlateText,
  VEHICLE_TYPES,
} from '../vocabulary';

const DETECTION_FIELDS = [
  'vendorEventId',
  'cameraExternalId',
  'observedAt',
  'kind',
  'frameBox',
  'media',
  'plate',
  'face',
  'behaviour',
] as const;

/** Objects and arrays of one detection at most: itself, frameBox, media and its 8, plate and vehicle. */
const CONTAINERS_PER_DETECTION = 4 + LIMITS.mediaPerDetection + 1;

/**
 * What a valid batch can hold, checked before parsing: 1,000 detections, each with a template of
 * 4,096 values and a few hundred other values at most, nested no deeper than a template.
 */
export const CANONICAL_JSON_BOUNDS: JsonBounds = {
  containers: 2 + LIMITS.batchSize * CONTAINERS_PER_DETECTION,
  values: LIMITS.batchSize * (LIMITS.templateDimensions.max + 256),
  depth: 6,
};

/**
 * The canonical JSON body of `POST /ingest/v1/detections`: one detection, or
 * `{ "detections": [...] }` with up to 1,000. A face carries its template as an array of numbers
 * (as the protobuf contract's `repeated float` reads in JSON, and as enrolment takes it); base64
 * of little-endian float32 values, which earlier integrations send, is still read. The template
 * leaves the parser only inside the candidate, for the pipeline to move into the template store.
 */
export function parseCanonicalJson(bytes: Buffer): ParsedEvents {
  checkJsonBounds(bytes, CANONICAL_JSON_BOUNDS);
  let body: unknown;
  try {
    body = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw IngestPayloadError.of('body', `is not valid JSON: ${(error as Error).message.slice(0, 200)}`);
  }
  return parseCanonicalValue(body);
}

export function parseCanonicalValue(body: unknown): ParsedEvents {
  const problems = new Problems();
  const read = new FieldReader(problems);
  const root = read.object(body, 'body');
  problems.throwIfAny();
  let items: { value: unknown; field: string }[];
  if (root && 'detections' in root) {
    read.unknownKeys(root, ['detections'], '');
    const list = root['detections'];
    if (!Array.isArray(list)) throw IngestPayloadError.of('detections', 'must be an array');
    if (list.length === 0) throw IngestPayloadError.of('detections', 'must not be empty');
    if (list.length > LIMITS.batchSize) {
      throw IngestPayloadError.of('detections', `must hold at most ${LIMITS.batchSize} detections`, 413);
    }
    items = list.map((value, i) => ({ value, field: `detections[${i}]` }));
  } else {
    items = [{ value: root, field: '' }];
  }
  const candidates: DetectionCandidate[] = [];
  for (const item of items) {
    const candidate = readDetection(item.value, item.field, read, problems);
    if (candidate) candidates.push(candidate);
  }
  problems.throwIfAny();
  return { candidates, ignored: 0 };
}

function at(prefix: string, name: string) {
  return prefix ? `${prefix}.${name}` : name;
}

function readDetection(
  value: unknown,
  prefix: string,
  read: FieldReader,
  problems: Problems,
): DetectionCandidate | undefined {
  const o = read.object(value, prefix || 'body');
  if (!o) return undefined;
  read.unknownKeys(o, DETECTION_FIELDS, prefix);
  const vendorEventId = read.string(o['vendorEventId'], at(prefix, 'vendorEventId'), {
    max: LIMITS.idLength,
  });
  const cameraExternalId = read.string(o['cameraExternalId'], at(prefix, 'cameraExternalId'), {
    max: LIMITS.idLength,
  });
  const observedAt = read.timestamp(o['observedAt'], at(prefix, 'observedAt'));
  const kind = read.oneOf(o['kind'], at(prefix, 'kind'), DETECTION_KINDS);
  const frameBox = readBox(o['frameBox'], at(prefix, 'frameBox'), read);
  const media = readMedia(o['media'], at(prefix, 'media'), read, problems);
  const plate =
    o['plate'] === undefined ? undefined : readPlate(o['plate'], at(prefix, 'plate'), read, problems);
  const face = o['face'] === undefined ? undefined : readFace(o['face'], at(prefix, 'face'), read, problems);
  const behaviour =
    o['behaviour'] === undefined ? undefined : readBehaviour(o['behaviour'], at(prefix, 'behaviour'), read);

  const observations = [plate && 'plate', face && 'face', behaviour && 'behaviour'].filter(Boolean);
  if (kind !== undefined) {
    const expected = (Object.keys(DETECTION_KINDS) as string[]).find((k) => DETECTION_KINDS[k] === kind)!;
    const given = ['plate', 'face', 'behaviour'].filter((k) => o[k] !== undefined);
    if (given.length === 0) {
      problems.addSemantic(at(prefix, expected), `is required for a ${expected} detection`);
    } else if (given.length > 1 || given[0] !== expected) {
      problems.addSemantic(
        at(prefix, given.find((g) => g !== expected) ?? expected),
        `a ${expected} detection carries exactly one observation, its ${expected}`,
      );
    }
  }
  if (
    vendorEventId === undefined ||
    cameraExternalId === undefined ||
    observedAt === undefined ||
    kind === undefined ||
    observations.length !== 1
  ) {
    return undefined;
  }
  return {
    vendorEventId,
    cameraExternalId,
    observedAt,
    kind,
    frameBox,
    media: media ?? [],
    plate,
    face,
    behaviour,
  };
}

function readBox(value: unknown, field: string, read: FieldReader): recognition.NormalizedBox | null {
  const o = read.object(value, field, false);
  if (!o) return null;
  read.unknownKeys(o, ['x', 'y', 'width', 'height'], field);
  const x = read.number(o['x'], `${field}.x`, { required: true, min: 0, max: 1 });
  const y = read.number(o['y'], `${field}.y`, { required: true, min: 0, max: 1 });
  const width = read.number(o['width'], `${field}.width`, { required: true, min: 0, max: 1 });
  const height = read.number(o['height'], `${field}.height`, { required: true, min: 0, max: 1 });
  if (x === undefined || y === undefined || width === undefined || height === undefined) return null;
  return { x, y, width, height };
}

function readMedia(
  value: unknown,
  field: string,
  read: FieldReader,
  problems: Problems,
): common.MediaRef[] | undefined {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    problems.add(field, 'must be an array');
    return undefined;
  }
  if (value.length > LIMITS.mediaPerDetection) {
    problems.add(field, `must hold at most ${LIMITS.mediaPerDetection} references`);
    return undefined;
  }
  const refs: common.MediaRef[] = [];
  value.forEach((item, i) => {
    const f = `${field}[${i}]`;
    const o = read.object(item, f);
    if (!o) return;
    read.unknownKeys(o, ['kind', 'uri', 'contentType', 'capturedAt', 'expiresAt'], f);
    const kind = read.oneOf(o['kind'], `${f}.kind`, MEDIA_KINDS);
    const uri = read.string(o['uri'], `${f}.uri`, { max: LIMITS.uriLength });
    if (uri !== undefined && !/^(https?|rtsp):\/\/[^\s]+$/i.test(uri)) {
      problems.add(`${f}.uri`, 'must be an http(s) or rtsp URI');
      return;
    }
    const contentType =
      read.string(o['contentType'], `${f}.contentType`, { required: false, max: 100 }) ?? '';
    const capturedAt = read.timestamp(o['capturedAt'], `${f}.capturedAt`, false) ?? null;
    const expiresAt = read.timestamp(o['expiresAt'], `${f}.expiresAt`, false) ?? null;
    if (kind !== undefined && uri !== undefined) refs.push({ kind, uri, contentType, capturedAt, expiresAt });
  });
  return refs;
}

function readPlate(
  value: unknown,
  field: string,
  read: FieldReader,
  problems: Problems,
): recognition.PlateObservation | undefined {
  const o = read.object(value, field);
  if (!o) return undefined;
  read.unknownKeys(o, ['text', 'country', 'confidence', 'vehicle', 'direction'], field);
  const raw = read.string(o['text'], `${field}.text`, { max: 20 });
  const text = raw === undefined ? undefined : normalisePlateText(raw);
  if (raw !== undefined && !text) problems.add(`${field}.text`, 'must contain letters or digits');
  const country = read.string(o['country'], `${field}.country`, { required: false, max: 2 }) ?? '';
  if (country && !/^[A-Z]{2}$/.test(country))
    problems.add(`${field}.country`, 'must be an ISO 3166-1 alpha-2 code');
  const confidence = read.number(o['confidence'], `${field}.confidence`, { min: 0, max: 1 }) ?? 0;
  const direction =
    read.oneOf(o['direction'], `${field}.direction`, DIRECTIONS, false) ??
    recognition.TravelDirection.TRAVEL_DIRECTION_UNSPECIFIED;
  let vehicle: recognition.VehicleAttributes | null = null;
  const v = read.object(o['vehicle'], `${field}.vehicle`, false);
  if (v) {
    read.unknownKeys(v, ['type', 'color', 'make', 'model'], `${field}.vehicle`);
    vehicle = {
      type:
        read.oneOf(v['type'], `${field}.vehicle.type`, VEHICLE_TYPES, false) ??
        recognition.VehicleType.VEHICLE_TYPE_UNSPECIFIED,
      color: read.string(v['color'], `${field}.vehicle.color`, { required: false, max: 40 }) ?? '',
      make: read.string(v['make'], `${field}.vehicle.make`, { required: false, max: 60 }) ?? '',
      model: read.string(v['model'], `${field}.vehicle.model`, { required: false, max: 60 }) ?? '',
    };
  }
  if (!text) return undefined;
  return { text, country, confidence, vehicle, direction };
}

/** Base64 of little-endian float32 values, as the canonical JSON carries a face template. */
export function decodeTemplate(base64: string): Float32Array | string {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64)) return 'must be base64';
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.length % 4 !== 0) return 'must encode whole float32 values';
  const dims = bytes.length / 4;
  const { min, max } = LIMITS.templateDimensions;
  if (dims < min || dims > max) return `must hold ${min} to ${max} float32 values`;
  const vector = new Float32Array(dims);
  for (let i = 0; i < dims; i++) {
    const v = bytes.readFloatLE(i * 4);
    if (!Number.isFinite(v)) return 'must hold finite values';
    vector[i] = v;
  }
  return vector;
}

function readFace(
  value: unknown,
  field: string,
  read: FieldReader,
  problems: Problems,
): FaceCandidate | undefined {
  const o = read.object(value, field);
  if (!o) return undefined;
  read.unknownKeys(o, ['template', 'templateModel', 'quality', 'confidence'], field);
  const quality = read.number(o['quality'], `${field}.quality`, { min: 0, max: 1 }) ?? 0;
  const confidence = read.number(o['confidence'], `${field}.confidence`, { min: 0, max: 1 }) ?? 0;
  const given = o['template'] !== undefined && o['template'] !== null;
  const model = read.string(o['templateModel'], `${field}.templateModel`, { required: given, max: 100 });
  if (!given) return { template: null, quality, confidence };
  const vector = readTemplate(o['template']);
  if (typeof vector === 'string') {
    problems.add(`${field}.template`, vector);
    return undefined;
  }
  if (model === undefined) return undefined;
  return { template: { vector, model }, quality, confidence };
}

/** A template as an array of numbers, or (as earlier integrations send it) base64 of float32 values. */
export function readTemplate(value: unknown): Float32Array | string {
  if (typeof value === 'string') {
    if (value.length > Math.ceil(LIMITS.templateDimensions.max / 3) * 16) return 'is too long';
    return decodeTemplate(value);
  }
  if (!Array.isArray(value)) return 'must be an array of numbers';
  const { min, max } = LIMITS.templateDimensions;
  if (value.length < min || value.length > max) return `must hold ${min} to ${max} numbers`;
  const vector = new Float32Array(value.length);
  for (let i = 0; i < value.length; i++) {
    const v: unknown = value[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) return 'must hold finite numbers';
    vector[i] = v;
    if (!Number.isFinite(vector[i])) return 'must hold numbers within the float32 range';
  }
  return vector;
}

function readBehaviour(
  value: unknown,
  field: string,
  read: FieldReader,
): recognition.BehaviourObservation | undefined {
  const o = read.object(value, field);
  if (!o) return undefined;
  read.unknownKeys(o, ['type', 'confidence', 'ruleName', 'objectCount', 'dwellSeconds'], field);
  const type = read.oneOf(o['type'], `${field}.type`, BEHAVIOUR_TYPES);
  const confidence = read.number(o['confidence'], `${field}.confidence`, { min: 0, max: 1 }) ?? 0;
  const ruleName = read.string(o['ruleName'], `${field}.ruleName`, { required: false, max: 200 }) ?? '';
  const objectCount =
    read.number(o['objectCount'], `${field}.objectCount`, { min: 0, max: 1_000_000, integer: true }) ?? 0;
  const dwellSeconds =
    read.number(o['dwellSeconds'], `${field}.dwellSeconds`, { min: 0, max: 31_536_000, integer: true }) ?? 0;
  if (type === undefined) return undefined;
  return { type, confidence, ruleName, objectCount, dwellSeconds };
}
