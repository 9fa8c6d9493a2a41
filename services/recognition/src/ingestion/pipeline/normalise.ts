import { CameraLifecycle, recognition } from '@safecity/contracts';
import type { DirectoryCamera } from '../../camera-directory/camera-directory.repository';
import type { DetectionCandidate } from '../candidate';
import { detectionId } from '../detection-id';
import { insidePrivacyMask } from './privacy-masks';

/** Why an understood detection was not taken; each is counted. */
export type DropReason =
  | 'unknown-camera'
  | 'decommissioned-camera'
  | 'privacy-mask'
  | 'observed-in-future'
  | 'observed-too-long-ago';

export const DROP_REASONS: readonly DropReason[] = [
  'unknown-camera',
  'decommissioned-camera',
  'privacy-mask',
  'observed-in-future',
  'observed-too-long-ago',
];

export interface NormaliseContext {
  videoSystemId: string;
  /** Region of the video system whose key submitted the detection. */
  regionCode: string;
  receivedAt: Date;
  maxClockAheadMs: number;
  maxAgeMs: number;
}

export type Normalised =
  | { ok: true; detection: recognition.Detection; camera: DirectoryCamera; revisedAt: Date | null }
  | { ok: false; reason: DropReason };

/**
 * Turns a candidate into the canonical Detection for its camera, or says why it is dropped. The
 * face template is not part of this: the caller puts it into the template store and sets the
 * reference only for detections that are kept.
 */
export function normalise(
  candidate: DetectionCandidate,
  camera: DirectoryCamera | null,
  context: NormaliseContext,
): Normalised {
  // A camera of another region than the key's is answered as unknown: a key speaks for its region only.
  if (!camera || camera.regionCode !== context.regionCode) return { ok: false, reason: 'unknown-camera' };
  if (camera.lifecycle === CameraLifecycle.CAMERA_LIFECYCLE_DECOMMISSIONED) {
    return { ok: false, reason: 'decommissioned-camera' };
  }
  const skew = candidate.observedAt.getTime() - context.receivedAt.getTime();
  if (skew > context.maxClockAheadMs) return { ok: false, reason: 'observed-in-future' };
  if (-skew > context.maxAgeMs) return { ok: false, reason: 'observed-too-long-ago' };
  if (insidePrivacyMask(candidate.frameBox, camera.privacyMasks))
    return { ok: false, reason: 'privacy-mask' };
  const detection: recognition.Detection = {
    id: detectionId(context.videoSystemId, candidate.vendorEventId),
    kind: candidate.kind,
    cameraId: camera.id,
    videoSystemId: context.videoSystemId,
    regionCode: camera.regionCode,
    vendorEventId: candidate.vendorEventId,
    observedAt: candidate.observedAt,
    receivedAt: context.receivedAt,
    location: { lat: camera.lat, lon: camera.lon },
    frameBox: candidate.frameBox,
    media: candidate.media,
  };
  if (candidate.plate) detection.plate = candidate.plate;
  if (candidate.behaviour) detection.behaviour = candidate.behaviour;
  if (candidate.face) {
    detection.face = {
      templateRef: '',
      templateModel: candidate.face.template?.model ?? '',
      quality: candidate.face.quality,
      confidence: candidate.face.confidence,
    };
  }
  // Other vendors' events never change: a resend is the same event, whatever its content.
  const revisedAt = candidate.revisedAt ?? null;
  return { ok: true, detection, camera, revisedAt };
}
