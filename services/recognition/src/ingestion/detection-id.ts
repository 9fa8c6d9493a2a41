import { createHash } from 'node:crypto';
import { derivedUuid } from '@safecity/contracts';

/**
 * The detection id of a vendor event: the same video system and vendor event id always give the
 * same id, so a re-sent event is recognised as the one already stored.
 */
export function detectionId(videoSystemId: string, vendorEventId: string): string {
  // The layout of the ids issued since the first release: stored detections dedupe by them.
  return derivedUuid(`detection\0${videoSystemId}\0${vendorEventId}`, 'sha256-version-5');
}

/** Id of the `DetectionObserved` event for one version of a detection (vendors may update events). */
export function observationEventId(detectionIdValue: string, revisedAt: Date): string {
  return derivedUuid(`observation\0${detectionIdValue}\0${revisedAt.getTime()}`, 'sha256-version-5');
}

/** A stable vendor event id for vendors that send none (ONVIF): a digest of the event's content. */
export function contentEventId(...parts: string[]): string {
  const digest = createHash('sha256');
  for (const part of parts) digest.update(part).update('\0');
  return digest.digest('base64url').slice(0, 32);
}
