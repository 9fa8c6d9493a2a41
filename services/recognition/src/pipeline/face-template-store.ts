import { randomUUID } from 'node:crypto';

export interface FaceTemplate {
  readonly vector: Float32Array;
  /** Extractor model and version, e.g. "arcface-r100@1.2"; only same-model templates compare. */
  readonly model: string;
}

export interface FaceTemplateStoreOptions {
  /** Templates not taken within this time are erased. */
  ttlMs: number;
  /** Upper bound on held templates; the oldest are erased first when it is reached. */
  maxEntries: number;
  now?: () => number;
}

/**
 * The short-lived, memory-only home of face templates between an adapter and the face matcher.
 * Templates are biometric data: they are never written to the database, logs, Kafka or the media
 * store. A detection carries only the reference; the matcher takes (and so erases) the template,
 * and whatever is not taken expires.
 */
export class FaceTemplateStore {
  private readonly entries = new Map<string, { template: FaceTemplate; expiresAt: number }>();
  private readonly now: () => number;

  constructor(private readonly options: FaceTemplateStoreOptions) {
    this.now = options.now ?? Date.now;
  }

  put(template: FaceTemplate): string {
    this.sweep();
    while (this.entries.size >= this.options.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
    const ref = `tpl_${randomUUID()}`;
    this.entries.set(ref, { template, expiresAt: this.now() + this.options.ttlMs });
    return ref;
  }

  /** Returns the template and erases it; null when unknown or expired. */
  take(ref: string): FaceTemplate | null {
    const entry = this.entries.get(ref);
    if (!entry) return null;
    this.entries.delete(ref);
    if (entry.expiresAt <= this.now()) return null;
    return entry.template;
  }

  /**
   * Returns the template and leaves it in place; null when unknown or expired. For readers inside
   * a transaction that may still fail and be retried: they erase it (`discard`) once it has committed.
   */
  peek(ref: string): FaceTemplate | null {
    const entry = this.entries.get(ref);
    if (!entry) return null;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(ref);
      return null;
    }
    return entry.template;
  }

  /** Erases a template without reading it (its detection was dropped). */
  discard(ref: string): void {
    this.entries.delete(ref);
  }

  get size(): number {
    return this.entries.size;
  }

  /** Erases expired templates; insertion order is expiry order, so this stops at the first live one. */
  sweep(): number {
    const now = this.now();
    let erased = 0;
    for (const [ref, entry] of this.entries) {
      if (entry.expiresAt > now) break;
      this.entries.delete(ref);
      erased += 1;
    }
    return erased;
  }
}
