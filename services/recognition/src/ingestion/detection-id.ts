import { createHash } from 'node:crypto';

/** Formats the first 16 bytes of a SHA-256 as a version-5-style UUID (RFC 9562 layout). */
function uuidFromHash(hash: Buffer): string {
  const bytes = Buffer.from(hash.subarray(0, 16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The detection id of a vendor event: the same video system and vendor event id always give the
 * same id, so a re-sent event is recognised as the one already stored.
 */
export function detectionId(videoSystemId: string, vendorEventId: string): string {
  return uuidFromHash(
    createHash('sha256')
      .update('detection\0')
      .update(videoSystemId)
      .update('\0')
      .update(vendorEventId)
      .digest(),
  );
}

/** Id of the `DetectionObserved` event for one version of a detection (vendors may update events). */
export function observationEventId(detectionIdValue: string, revisedAt: Date): string {
  return uuidFromHash(
    createHash('sha256')
      .update('observation\0')
      .update(detectionIdValue)
      .update('\0')
      .update(String(revisedAt.getTime()))
      .digest(),
  );
}

/** A stable vendor event id for vendors that send none (ONVIF): a digest of the event's content. */
export function contentEventId(...parts: string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\0');
  return hash.digest('base64url').slice(0, 32);
}
