import { ApiRequestContent } from '@safecity/service-kit';
import {
  BEHAVIOUR_TYPES,
  DETECTION_KINDS,
  DIRECTIONS,
  LIMITS,
  MEDIA_KINDS,
  VEHICLE_TYPES,
} from '../vocabulary';
import { REGION_CODE_FORMAT } from '@safecity/security';

/**
 * What the ingest routes accept, for the OpenAPI document. Each adapter parses its own format from
 * the raw body (`ingest-body.ts`); the schemas below are written from those parsers and their
 * vocabulary, which they import, so the enumerations cannot drift.
 */

type Schema = Record<string, unknown>;

const unit = (description: string): Schema => ({ type: 'number', minimum: 0, maximum: 1, description });
const timestamp = (description: string): Schema => ({
  type: 'string',
  format: 'date-time',
  description: `${description}; RFC 3339 with a time zone`,
  maxLength: 40,
});

const canonicalDetection: Schema = {
  type: 'object',
  additionalProperties: false,
  required: ['vendorEventId', 'cameraExternalId', 'observedAt', 'kind'],
  description:
    'Exactly one of plate, face and behaviour, the one its kind names. Unknown fields are refused.',
  properties: {
    vendorEventId: {
      type: 'string',
      maxLength: LIMITS.idLength,
      description: "the vendor's id of the event; with the video system it makes the detection id",
    },
    cameraExternalId: {
      type: 'string',
      maxLength: LIMITS.idLength,
      description: "the camera's id inside the video system (its externalId in camera-registry)",
    },
    observedAt: timestamp('when the camera saw it'),
    kind: { type: 'string', enum: Object.keys(DETECTION_KINDS) },
    frameBox: {
      type: 'object',
      additionalProperties: false,
      required: ['x', 'y', 'width', 'height'],
      description: 'where in the frame, as fractions of its width and height',
      properties: {
        x: unit('left edge'),
        y: unit('top edge'),
        width: unit('width'),
        height: unit('height'),
      },
    },
    media: {
      type: 'array',
      maxItems: LIMITS.mediaPerDetection,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['kind', 'uri'],
        properties: {
          kind: { type: 'string', enum: Object.keys(MEDIA_KINDS) },
          uri: { type: 'string', maxLength: LIMITS.uriLength, pattern: '^(https?|rtsp)://\\S+$' },
          contentType: { type: 'string', maxLength: 100, example: 'image/jpeg' },
          capturedAt: timestamp('when the picture or clip was taken'),
          expiresAt: timestamp('after this the URI may no longer resolve'),
        },
      },
    },
    plate: {
      type: 'object',
      additionalProperties: false,
      required: ['text'],
      properties: {
        text: {
          type: 'string',
          maxLength: 20,
          description: 'as read; upper-cased and stripped of everything but letters and digits',
          example: '123ABC02',
        },
        country: { type: 'string', pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2' },
        confidence: unit('OCR confidence'),
        direction: { type: 'string', enum: Object.keys(DIRECTIONS) },
        vehicle: {
          type: 'object',
          additionalProperties: false,
          properties: {
            type: { type: 'string', enum: Object.keys(VEHICLE_TYPES) },
            color: { type: 'string', maxLength: 40 },
            make: { type: 'string', maxLength: 60 },
            model: { type: 'string', maxLength: 60 },
          },
        },
      },
    },
    face: {
      type: 'object',
      additionalProperties: false,
      properties: {
        template: {
          oneOf: [
            {
              type: 'array',
              items: { type: 'number' },
              minItems: LIMITS.templateDimensions.min,
              maxItems: LIMITS.templateDimensions.max,
            },
            {
              type: 'string',
              format: 'byte',
              description: 'base64 of little-endian float32 values, as earlier integrations send it',
            },
          ],
          description:
            `the embedding: ${LIMITS.templateDimensions.min} to ${LIMITS.templateDimensions.max} numbers, as ` +
            "the protobuf contract's repeated float and enrolment take it; matched, never stored unless it matches",
        },
        templateModel: {
          type: 'string',
          maxLength: 100,
          description: 'the model that made the template; required with a template',
        },
        quality: unit('face quality'),
        confidence: unit('detection confidence'),
      },
    },
    behaviour: {
      type: 'object',
      additionalProperties: false,
      required: ['type'],
      properties: {
        type: { type: 'string', enum: Object.keys(BEHAVIOUR_TYPES) },
        confidence: unit('analytics confidence'),
        ruleName: { type: 'string', maxLength: 200 },
        objectCount: { type: 'integer', minimum: 0, maximum: 1_000_000 },
        dwellSeconds: { type: 'integer', minimum: 0, maximum: 31_536_000 },
      },
    },
  },
};

const protobuf = (description: string): { schema: Schema } => ({
  schema: { type: 'string', format: 'binary', description },
});

/** `POST /ingest/v1/detections`: canonical JSON or protobuf. */
export const ApiCanonicalDetectionsBody = () =>
  ApiRequestContent(
    {
      'application/json': {
        schema: {
          oneOf: [
            canonicalDetection,
            {
              type: 'object',
              additionalProperties: false,
              required: ['detections'],
              properties: {
                detections: {
                  type: 'array',
                  minItems: 1,
                  maxItems: LIMITS.batchSize,
                  items: canonicalDetection,
                },
              },
            },
          ],
        },
      },
      'application/x-protobuf': protobuf(
        'a safecity.recognition.v1.DetectionSubmissionBatch (proto/safecity/recognition/v1/recognition.proto), ' +
          `up to ${LIMITS.batchSize} detections; with "; proto=safecity.recognition.v1.DetectionSubmission" ` +
          'in the content type, one DetectionSubmission. The face template is a repeated float there.',
      ),
    },
    'One detection or a batch. Each is accepted, updated, a duplicate or dropped with its reason.',
  );

/** `POST /ingest/v1/platform-analytics`: canonical detections of the platform's own analytics. */
export const ApiPlatformAnalyticsBody = () =>
  ApiRequestContent(
    {
      'application/json': {
        schema: {
          type: 'object',
          additionalProperties: false,
          required: ['videoSystemId', 'regionCode', 'detections'],
          properties: {
            videoSystemId: { type: 'string', format: 'uuid', description: "the camera's video system" },
            regionCode: { type: 'string', pattern: REGION_CODE_FORMAT.source },
            detections: { type: 'array', minItems: 1, maxItems: LIMITS.batchSize, items: canonicalDetection },
          },
        },
      },
    },
    "Detections of cameras watched by the platform's own analytics, on behalf of their video system.",
  );

const xml = (description: string): { schema: Schema } => ({ schema: { type: 'string', description } });

/** `POST /ingest/v1/onvif-events` (and its earlier path `onvif`): a WS-Notification Notify. */
export const ApiOnvifBody = () =>
  ApiRequestContent({
    'application/soap+xml': xml(
      'A WS-Notification Notify (or the messages of a PullMessages response) of tt:Message events, ' +
        'at most 1,000. The camera is the VideoSourceConfigurationToken (else VideoSourceToken, ' +
        'VideoSource, Source or InputToken) source item; the time is UtcTime. Topics read: ' +
        'RuleEngine/LineDetector/Crossed, RuleEngine/FieldDetector/ObjectsInside, ' +
        'RuleEngine/LoiteringDetector/ObjectIsLoitering, abandoned and removed objects, ' +
        'RuleEngine/CountAggregation/Counter, Recognition/LicensePlate (PlateNumber, CountryCode, ' +
        'Likelihood) and Recognition/Face; other topics are counted as ignored.',
    ),
    'application/xml': xml('As application/soap+xml.'),
  });

/** `POST /ingest/v1/hikvision-isapi` (and its earlier path `hikvision`): an ISAPI EventNotificationAlert, alone or with its pictures. */
export const ApiHikvisionBody = () =>
  ApiRequestContent({
    'application/xml': xml(
      'An ISAPI EventNotificationAlert. The camera is its channelID; the time dateTime. Events read: ' +
        'ANPR and vehicleDetection (licensePlate, confidenceLevel, vehicle type), faceCapture and ' +
        'other face events, and line crossing, field detection, region entrance, loitering, ' +
        'unattended or attended baggage, people gathering, violent motion, fall (failDown), fire ' +
        'and smoke detection.',
    ),
    'multipart/form-data': {
      schema: {
        type: 'object',
        description:
          'The alert XML in one part (a part whose type or file name says xml), its pictures ' +
          '(image/*) in the others, named as ISAPI names them (licensePlatePicture, ' +
          'detectionPicture, vehiclePicture, backgroundImage, faceImage).',
        properties: {
          alert: { type: 'string', format: 'binary', description: 'the EventNotificationAlert XML' },
          pictures: { type: 'array', items: { type: 'string', format: 'binary' } },
        },
      },
    },
  });

/** `POST /ingest/v1/frigate`: one message of Frigate's frigate/events topic. */
export const ApiFrigateBody = () =>
  ApiRequestContent({
    'application/json': {
      schema: {
        type: 'object',
        required: ['type', 'after'],
        description:
          'A frigate/events message, at most 256 KiB. Every message about one Frigate event id ' +
          'updates the same detection. A recognised plate makes a plate detection, label "face" a ' +
          'face, "fire" or "smoke" fire and smoke, a person in a zone intrusion (loitering when the ' +
          "zone's name says loiter); anything else, and false positives, are counted as ignored.",
        properties: {
          type: { type: 'string', enum: ['new', 'update', 'end'] },
          before: { type: 'object', description: 'the event before this message (not read)' },
          after: {
            type: 'object',
            required: ['id', 'camera', 'label', 'start_time'],
            properties: {
              id: { type: 'string', maxLength: 100, description: "Frigate's event id" },
              camera: {
                type: 'string',
                maxLength: 100,
                description: "Frigate's camera name: the camera's externalId in camera-registry",
              },
              label: { type: 'string', maxLength: 60, example: 'car' },
              start_time: { type: 'number', description: 'epoch seconds' },
              frame_time: { type: 'number', description: 'epoch seconds of this state' },
              top_score: unit('best score so far'),
              score: unit('score, when top_score is absent'),
              entered_zones: { type: 'array', items: { type: 'string' } },
              recognized_license_plate: { type: 'string', nullable: true },
              recognized_license_plate_score: unit('plate score'),
              false_positive: { type: 'boolean' },
            },
          },
        },
      },
    },
  });
