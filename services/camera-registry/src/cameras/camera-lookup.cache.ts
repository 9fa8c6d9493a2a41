import type { Camera as CameraMessage } from '@safecity/contracts';
import { deepFreeze } from './encoded-answers';

interface Entry {
  camera: CameraMessage | null;
  expiresAt: number;
}

/**
 * Recognition resolves the vendor camera of every detection (thousands per second), so the
 * answer to ResolveExternalCamera is kept in memory for half a minute. This instance drops a
 * camera's entries the moment it changes the camera; another instance's change shows after at most
 * the TTL. Misses are remembered for a shorter time, so a flood for an unknown camera does not
 * reach the database while a newly registered one appears quickly. Answers depend on the caller's
 * region scope, so each camera holds one entry per scope (services all share the every-region one).
 */
export class CameraLookupCache {
  private readonly cameras = new Map<string, Map<string, Entry>>();

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

  private static key(videoSystemId: string, externalId: string) {
    return `${videoSystemId}/${externalId}`;
  }

  /** The cached answer (a camera or a remembered miss), or undefined when it must be looked up. */
  get(scope: string, videoSystemId: string, externalId: string): CameraMessage | null | undefined {
    const entry = this.cameras.get(CameraLookupCache.key(videoSystemId, externalId))?.get(scope);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.cameras.get(CameraLookupCache.key(videoSystemId, externalId))?.delete(scope);
      return undefined;
    }
    return entry.camera;
  }

  set(scope: string, videoSystemId: string, externalId: string, camera: CameraMessage | null): void {
    const key = CameraLookupCache.key(videoSystemId, externalId);
    let scopes = this.cameras.get(key);
    if (!scopes) {
      if (this.cameras.size >= this.options.maxEntries) this.evictOldest();
      scopes = new Map();
      this.cameras.set(key, scopes);
    }
    scopes.set(scope, {
      // Shared by every call that hits this entry, and encoded once for all of them.
      camera: camera ? deepFreeze(camera) : null,
      expiresAt: this.now() + (camera ? this.options.ttlMs : this.options.missTtlMs),
    });
  }

  /** Forgets a camera for every scope. */
  invalidate(videoSystemId: string, externalId: string): void {
    this.cameras.delete(CameraLookupCache.key(videoSystemId, externalId));
  }

  get size() {
    return this.cameras.size;
  }

  private evictOldest() {
    // Maps iterate in insertion order: dropping the oldest tenth keeps eviction O(1) amortised.
    let drop = Math.ceil(this.options.maxEntries / 10);
    for (const key of this.cameras.keys()) {
      this.cameras.delete(key);
      if (--drop === 0) break;
    }
  }
}
