import { createHash, hash } from 'node:crypto';

/** Formats the first 16 bytes of a SHA-256 as a version-5-style UUID (RFC 9562 layout). */
function uuidFromHash(digest: Buffer): string {
  digest[6] = (digest[6]! & 0x0f) | 0x50;
  digest[8] = (digest[8]! & 0x3f) | 0x80;
  const hex = digest.toString('hex', 0, 16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The detection id of a vendor event: the same video system and vendor event id always give the
 * same id, so a re-sent event is recognised as the one already stored.
 */
export function detectionId(videoSystemId: string, vendorEventId: string): string {
  // One-shot over the joined text: the same bytes as hashing the parts in turn, at a fraction of
  // the cost on a path taken for every detection. Ids must never change: stored ones dedupe.
  return uuidFromHash(hash('sha256', `detection\0${videoSystemId}\0${vendorEventId}`, 'buffer'));
}

/** Id of the `DetectionObserved` event for one version of a detection (vendors may update events). */
export function observationEventId(detectionIdValue: string, revisedAt: Date): string {
  return uuidFromHash(hash('sha256', `observation\0${detectionIdValue}\0${revisedAt.getTime()}`, 'buffer'));
}

/** A stable vendor event id for vendors that send none (ONVIF): a digest of the event's content. */
export function contentEventId(...parts: string[]): string {
  const digest = createHash('sha256');
  for (const part of parts) digest.update(part).update('\0');
  return digest.digest('base64url').slice(0, 32);
}
