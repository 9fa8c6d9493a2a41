import type { Camera as CameraMessage } from '@safecity/contracts';

interface Entry {
  camera: CameraMessage | null;
  expiresAt: number;
}

/**
 * Recognition resolves the vendor camera of every detection (thousands per second), so the
 * answer to ResolveExternalCamera is kept in memory for half a minute. This instance drops an
 * entry the moment it changes the camera; another instance's change shows after at most the TTL.
 * Misses are remembered for a shorter time, so a flood for an unknown camera does not reach the
 * database while a newly registered one appears quickly. Thirty seconds bounds how stale another
 * instance's view can be; recognition keeps its own copy fresh from safecity.cameras.v1.
 */
export class CameraLookupCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly options: { ttlMs: number; missTtlMs: number; maxEntries: number; now?: () => number } = {
      ttlMs: 30_000,
      missTtlMs: 1_000,
      maxEntries: 200_000,
    },
  ) {}

  private now() {
    return this.options.now ? this.options.now() : Date.now();
  }

  static key(videoSystemId: string, externalId: string) {
    return `${videoSystemId}/${externalId}`;
  }

  /** The cached answer (a camera or a remembered miss), or undefined when it must be looked up. */
  get(videoSystemId: string, externalId: string): CameraMessage | null | undefined {
    const key = CameraLookupCache.key(videoSystemId, externalId);
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.camera;
  }

  set(videoSystemId: string, externalId: string, camera: CameraMessage | null): void {
    if (this.entries.size >= this.options.maxEntries) {
      // Maps iterate in insertion order: dropping the oldest tenth keeps eviction O(1) amortised.
      let drop = Math.ceil(this.options.maxEntries / 10);
      for (const key of this.entries.keys()) {
        this.entries.delete(key);
        if (--drop === 0) break;
      }
    }
    this.entries.set(CameraLookupCache.key(videoSystemId, externalId), {
      camera,
      expiresAt: this.now() + (camera ? this.options.ttlMs : this.options.missTtlMs),
    });
  }

  invalidate(videoSystemId: string, externalId: string): void {
    this.entries.delete(CameraLookupCache.key(videoSystemId, externalId));
  }

  get size() {
    return this.entries.size;
  }
}
