import { BinaryReader } from '@bufbuild/protobuf/wire';
import { common, recognition } from '@safecity/contracts';
import type { DetectionCandidate, ParsedEvents } from '../candidate';
import { IngestPayloadError, Problems } from '../ingest-problems';
import { LIMITS, normalisePlateText } from '../vocabulary';

const SINGLE = 'safecity.recognition.v1.DetectionSubmission';

/**
 * The protobuf body of `POST /ingest/v1/detections`: a `DetectionSubmissionBatch`, or a single
 * `DetectionSubmission` when the content type says `proto=safecity.recognition.v1.DetectionSubmission`.
 */
export function parseCanonicalProtobuf(bytes: Uint8Array, contentType = ''): ParsedEvents {
  const proto = /;\s*proto=("?)([\w.]+)\1/i.exec(contentType)?.[2];
  const single = proto?.toLowerCase() === SINGLE.toLowerCase();
  let submissions: recognition.DetectionSubmission[];
  try {
    submissions = single ? [decodeSubmission(bytes, 0, bytes.length, '')] : decodeBatch(bytes);
  } catch (error) {
    if (error instanceof IngestPayloadError) throw error;
    throw IngestPayloadError.of(
      'body',
      `is not a valid protobuf message: ${(error as Error).message.slice(0, 200)}`,
    );
  }
  if (submissions.length === 0) throw IngestPayloadError.of('detections', 'must not be empty');
  return { candidates: validateSubmissions(submissions, single ? '' : 'detections'), ignored: 0 };
}

const WIRE_LENGTH_DELIMITED = 2;
const BATCH_DETECTIONS = 1;
const SUBMISSION_MEDIA = 6;

/**
 * A `DetectionSubmissionBatch`, decoded one submission at a time and refused as soon as it holds
 * more than the batch cap: a decoded submission costs hundreds of bytes however few its encoding
 * takes (two bytes for an empty one), so counting after decoding would let a body's memory grow
 * a hundredfold before the cap is checked.
 */
function decodeBatch(bytes: Uint8Array): recognition.DetectionSubmission[] {
  const reader = new BinaryReader(bytes);
  const out: recognition.DetectionSubmission[] = [];
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    if (tag >>> 3 === 0) throw new RangeError('field number 0 is not a field');
    if (tag >>> 3 !== BATCH_DETECTIONS || (tag & 7) !== WIRE_LENGTH_DELIMITED) {
      reader.skip(tag & 7);
      continue;
    }
    if (out.length >= LIMITS.batchSize) {
      throw IngestPayloadError.of('detections', `must hold at most ${LIMITS.batchSize} detections`, 413);
    }
    const length = reader.uint32();
    const start = reader.pos;
    if (start + length > reader.len) throw new RangeError('premature end of a detection');
    out.push(decodeSubmission(bytes, start, start + length, `detections[${out.length}].`));
    reader.pos = start + length;
  }
  return out;
}

/** One submission, its media references counted on the wire before any is decoded. */
function decodeSubmission(
  bytes: Uint8Array,
  start: number,
  end: number,
  at: string,
): recognition.DetectionSubmission {
  const scan = new BinaryReader(bytes.subarray(start, end));
  let media = 0;
  while (scan.pos < scan.len) {
    const tag = scan.uint32();
    if (tag >>> 3 === 0) throw new RangeError('field number 0 is not a field');
    if (tag >>> 3 === SUBMISSION_MEDIA && (tag & 7) === WIRE_LENGTH_DELIMITED) {
      if (++media > LIMITS.mediaPerDetection) {
        throw IngestPayloadError.of(`${at}media`, `must hold at most ${LIMITS.mediaPerDetection} references`);
      }
    }
    scan.skip(tag & 7);
  }
  return recognition.DetectionSubmission.decode(bytes.subarray(start, end));
}

const inUnit = (v: number) => Number.isFinite(v) && v >= 0 && v <= 1;
const enumValues = (e: object) => new Set(Object.values(e).filter((v) => typeof v === 'number'));
const KINDS = enumValues(recognition.DetectionKind);
const BEHAVIOURS = enumValues(recognition.BehaviourType);
const VEHICLES = enumValues(recognition.VehicleType);
const DIRECTIONS = enumValues(recognition.TravelDirection);
const MEDIA = enumValues(common.MediaKind);

const OBSERVATION_OF_KIND: Record<number, string> = { 1: 'plate', 2: 'face', 3: 'behaviour' };
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

function checkText(
  problems: Problems,
  at: string,
  name: string,
  value: string,
  max: number,
  required: boolean,
): void {
  if (!value) {
    if (required) problems.add(at + name, 'is required');
  } else if (value.length > max) problems.add(at + name, `must be at most ${max} characters`);
  else if (CONTROL_CHARACTERS.test(value)) problems.add(at + name, 'must not contain control characters');
}

/**
 * Validates decoded submissions as strictly as the JSON form; throws with every problem found.
 * Every detection of the raw topic passes here, so a valid submission costs no closures or field
 * names: those are built only for the problems found.
 */
export function validateSubmissions(
  submissions: recognition.DetectionSubmission[],
  listField: string,
  options: { allowTemplates?: boolean } = {},
): DetectionCandidate[] {
  const problems = new Problems();
  const out: DetectionCandidate[] = [];
  for (let i = 0; i < submissions.length; i++) {
    const s = submissions[i];
    const at = listField ? `${listField}[${i}].` : '';
    const before = problems.list.length;
    checkText(problems, at, 'vendorEventId', s.vendorEventId, LIMITS.idLength, true);
    checkText(problems, at, 'cameraExternalId', s.cameraExternalId, LIMITS.idLength, true);
    const observedAt = s.observedAt;
    if (!observedAt || Number.isNaN(observedAt.getTime())) problems.add(`${at}observedAt`, 'is required');
    if (!KINDS.has(s.kind) || s.kind === recognition.DetectionKind.DETECTION_KIND_UNSPECIFIED) {
      problems.add(`${at}kind`, 'must be a known detection kind');
    }
    const box = s.frameBox;
    if (box && !(inUnit(box.x) && inUnit(box.y) && inUnit(box.width) && inUnit(box.height))) {
      problems.add(`${at}frameBox`, 'coordinates must be between 0 and 1');
    }
    if (s.media.length > LIMITS.mediaPerDetection) {
      problems.add(`${at}media`, `must hold at most ${LIMITS.mediaPerDetection} references`);
    }
    for (let j = 0; j < s.media.length; j++) {
      const m = s.media[j];
      if (!MEDIA.has(m.kind) || m.kind === 0)
        problems.add(`${at}media[${j}].kind`, 'must be a known media kind');
      if (!/^(https?|rtsp):\/\/[^\s]+$/i.test(m.uri) || m.uri.length > LIMITS.uriLength) {
        problems.add(`${at}media[${j}].uri`, 'must be an http(s) or rtsp URI');
      }
    }
    const given = (s.plate ? 1 : 0) + (s.face ? 1 : 0) + (s.behaviour ? 1 : 0);
    const first = s.plate ? 'plate' : s.face ? 'face' : s.behaviour ? 'behaviour' : undefined;
    const expected = OBSERVATION_OF_KIND[s.kind];
    if (expected && (given !== 1 || first !== expected)) {
      problems.addSemantic(
        `${at}${expected}`,
        `a ${expected} detection carries exactly one observation, its ${expected}`,
      );
    }
    let plate: recognition.PlateObservation | undefined;
    if (s.plate) {
      const normalised = normalisePlateText(s.plate.text);
      if (!normalised || s.plate.text.length > 20)
        problems.add(`${at}plate.text`, 'must be 1 to 20 letters or digits');
      if (s.plate.country && !/^[A-Z]{2}$/.test(s.plate.country)) {
        problems.add(`${at}plate.country`, 'must be an ISO 3166-1 alpha-2 code');
      }
      if (!inUnit(s.plate.confidence)) problems.add(`${at}plate.confidence`, 'must be between 0 and 1');
      if (!DIRECTIONS.has(s.plate.direction))
        problems.add(`${at}plate.direction`, 'must be a known direction');
      if (s.plate.vehicle && !VEHICLES.has(s.plate.vehicle.type))
        problems.add(`${at}plate.vehicle.type`, 'unknown');
      plate = { ...s.plate, text: normalised };
    }
    let face: DetectionCandidate['face'];
    if (s.face) {
      if (!inUnit(s.face.quality)) problems.add(`${at}face.quality`, 'must be between 0 and 1');
      if (!inUnit(s.face.confidence)) problems.add(`${at}face.confidence`, 'must be between 0 and 1');
      const dims = s.face.template.length;
      if (dims > 0) {
        if (options.allowTemplates === false) {
          problems.addSemantic(`${at}face.template`, 'face templates are not accepted on this channel');
        }
        const { min, max } = LIMITS.templateDimensions;
        if (dims < min || dims > max) problems.add(`${at}face.template`, `must hold ${min} to ${max} values`);
        else if (!s.face.template.every(Number.isFinite))
          problems.add(`${at}face.template`, 'must hold finite values');
        if (!s.face.templateModel) problems.add(`${at}face.templateModel`, 'is required with a template');
      }
      face = {
        template:
          dims > 0 ? { vector: Float32Array.from(s.face.template), model: s.face.templateModel } : null,
        quality: s.face.quality,
        confidence: s.face.confidence,
      };
    }
    if (s.behaviour) {
      if (!BEHAVIOURS.has(s.behaviour.type) || s.behaviour.type === 0) {
        problems.add(`${at}behaviour.type`, 'must be a known behaviour type');
      }
      if (!inUnit(s.behaviour.confidence))
        problems.add(`${at}behaviour.confidence`, 'must be between 0 and 1');
    }
    if (problems.list.length !== before) continue;
    out.push({
      vendorEventId: s.vendorEventId,
      cameraExternalId: s.cameraExternalId,
      observedAt: observedAt!,
      kind: s.kind,
      frameBox: box,
      media: s.media,
      plate,
      face,
      behaviour: s.behaviour ?? undefined,
    });
  }
  problems.throwIfAny();
  return out;
}
