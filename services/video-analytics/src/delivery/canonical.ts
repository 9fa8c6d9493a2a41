import { FACE_TEMPLATE_MODEL } from '@safecity/vision';
import type { Observation } from '../analytics/scene-analytics';
import type { CameraSource } from '../sources/camera-source';

const round = (v: number) => Math.round(v * 10_000) / 10_000;

/** An observation as a canonical JSON detection (recognition's `POST /ingest/v1/...` format). */
export function canonicalDetection(source: CameraSource, o: Observation): Record<string, unknown> {
  const frameBox = {
    x: round(o.box.x),
    y: round(o.box.y),
    width: round(o.box.width),
    height: round(o.box.height),
  };
  const common = {
    vendorEventId: o.eventId.slice(0, 200),
    cameraExternalId: source.externalId,
    observedAt: new Date(o.atMs).toISOString(),
    frameBox,
  };
  if (o.kind === 'face') {
    return {
      ...common,
      kind: 'face',
      face: {
        template: Buffer.from(o.template.buffer, o.template.byteOffset, o.template.byteLength).toString(
          'base64',
        ),
        templateModel: FACE_TEMPLATE_MODEL,
        quality: round(o.quality),
        confidence: round(o.confidence),
      },
    };
  }
  return {
    ...common,
    kind: 'behaviour',
    behaviour: {
      type: o.behaviour,
      confidence: round(Math.min(1, Math.max(0, o.confidence))),
      ruleName: o.ruleName.slice(0, 200),
      objectCount: o.objectCount,
      dwellSeconds: o.dwellSeconds,
    },
  };
}
