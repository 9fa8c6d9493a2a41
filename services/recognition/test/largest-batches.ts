import { recognition } from '@safecity/contracts';
import { LIMITS } from '../src/ingestion/vocabulary';

/**
 * The largest canonical batch the validation accepts: 1,000 face detections, every field at its
 * maximum (ids of 200 characters, eight media references with 2,048-character URIs, a template of
 * 4,096 values). Template values are as an embedding's are (unit-length vectors, |v| < 1, each
 * printed as JSON prints a float32 widened to a double: up to 20 characters).
 */
export function largestSubmission(index: number): recognition.DetectionSubmission {
  const pad = (prefix: string, length: number) => (prefix + 'x'.repeat(length)).slice(0, length);
  const at = new Date('2026-06-01T10:00:00.123Z');
  const dims = LIMITS.templateDimensions.max;
  const template = Array.from({ length: dims }, (_, i) =>
    Math.fround(-(0.9 / Math.sqrt(dims)) * (1 + Math.sin(i * 7.3 + index) * 0.0999999)),
  );
  return {
    vendorEventId: pad(`evt-${index}-`, LIMITS.idLength),
    cameraExternalId: pad(`cam-${index}-`, LIMITS.idLength),
    observedAt: at,
    kind: recognition.DetectionKind.DETECTION_KIND_FACE,
    frameBox: { x: 0.123456789, y: 0.987654321, width: 0.111111111, height: 0.222222222 },
    media: Array.from({ length: LIMITS.mediaPerDetection }, (_, m) => ({
      kind: 1,
      uri: pad(`https://vms.example/${index}/${m}/`, LIMITS.uriLength),
      contentType: pad('image/', 100),
      capturedAt: at,
      expiresAt: at,
    })),
    face: {
      template,
      templateModel: pad('model-', 100),
      quality: 0.123456789,
      confidence: 0.987654321,
    },
  };
}

export function largestProtobufBatch(): Buffer {
  const detections = Array.from({ length: LIMITS.batchSize }, (_, i) => largestSubmission(i));
  return Buffer.from(recognition.DetectionSubmissionBatch.encode({ detections }).finish());
}

/** The same batch as canonical JSON, its templates as arrays of numbers. */
export function largestJsonBatch(): Buffer {
  const detections = Array.from({ length: LIMITS.batchSize }, (_, i) => {
    const s = largestSubmission(i);
    return {
      vendorEventId: s.vendorEventId,
      cameraExternalId: s.cameraExternalId,
      observedAt: s.observedAt!.toISOString(),
      kind: 'face',
      frameBox: s.frameBox,
      media: s.media.map((m) => ({
        kind: 'snapshot',
        uri: m.uri,
        contentType: m.contentType,
        capturedAt: m.capturedAt!.toISOString(),
        expiresAt: m.expiresAt!.toISOString(),
      })),
      face: s.face,
    };
  });
  return Buffer.from(JSON.stringify({ detections }));
}
