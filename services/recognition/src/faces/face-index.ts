import { Index, MetricKind, ScalarKind } from 'usearch';

export interface FaceIndexOptions {
  /** HNSW graph degree; default 32. */
  connectivity?: number;
  /** Candidate list size while inserting; default 256. */
  expansionAdd?: number;
  /**
   * Candidate list size while searching; default 192, which keeps recall@1 against an exact scan
   * above 0.99 at 10^5 templates (docs/benchmarks.md).
   */
  expansionSearch?: number;
  /**
   * How the graph stores its copy of the vectors: `i8` quarters the memory read per comparison,
   * so a wider search fits the same time. Scores are unaffected: candidates are re-ranked against
   * the full-precision vectors. Default `i8`.
   */
  quantization?: 'f32' | 'f16' | 'i8';
}

const SCALAR: Record<NonNullable<FaceIndexOptions['quantization']>, ScalarKind> = {
  f32: ScalarKind.F32,
  f16: ScalarKind.F16,
  i8: ScalarKind.I8,
};

/**
 * Graph candidates re-ranked exactly by default. The graph's own order is close enough that the
 * true nearest template, when the graph finds it at all, is among its first few: recall at 10^5
 * was the same re-ranking 16 as 64, and each re-ranked template is 2 KiB read from memory.
 */
export const RERANKED = 16;

/** Which templates a search may return, and how far it may look for them. */
export interface SearchFilter<R> {
  accept(ref: R, similarity: number): boolean;
  /** Graph candidates re-ranked by the first search; default 16. */
  candidates?: number;
  /** Most graph candidates a widened search re-ranks before scanning every template; default 1024. */
  limit?: number;
  /** Similarity below which `accept` takes nothing (the lowest threshold); default -1. */
  floor?: number;
}

export interface FaceCandidate<R> {
  ref: R;
  /** Cosine similarity of probe and template, -1..1, computed exactly. */
  similarity: number;
}

/**
 * Templates of one extractor model, searched 1:N: an HNSW graph (usearch; the inner product of
 * unit vectors, i.e. their cosine) proposes candidates, which are then re-ranked by their exact
 * cosine similarity against the stored, unit-length vectors, so the scores reported are exact
 * even where the graph's are approximate.
 * Only vectors of the same model and dimension ever meet here.
 */
export class FaceIndex<R> {
  private readonly graph: Index;
  /**
   * Graph key → template. Keys are plain numbers (a Map of BigInts hashes every candidate the
   * graph returns) and never reused: usearch has been seen to hang when the same keys are removed
   * and added again and again.
   */
  private readonly slots = new Map<number, { ref: R; vector: Float32Array }>();
  private readonly keysByRef = new Map<R, number>();
  private nextKey = 1;

  constructor(
    readonly dimensions: number,
    options: FaceIndexOptions = {},
  ) {
    if (!Number.isInteger(dimensions) || dimensions < 1)
      throw new RangeError('dimensions must be a positive integer');
    this.graph = new Index({
      dimensions,
      // Every vector added and searched is unit length (and usearch scales each 8-bit copy to the
      // same magnitude), so the inner product orders candidates as the cosine does, without the
      // two norms the cosine kernel computes on every comparison.
      metric: MetricKind.IP,
      quantization: SCALAR[options.quantization ?? 'i8'],
      multi: false,
      connectivity: options.connectivity ?? 32,
      expansion_add: options.expansionAdd ?? 256,
      expansion_search: options.expansionSearch ?? 192,
    });
  }

  get size(): number {
    return this.slots.size;
  }

  /** Adds a template under `ref`, replacing one already there. */
  add(ref: R, vector: Float32Array): void {
    if (vector.length !== this.dimensions) {
      throw new RangeError(`template has ${vector.length} dimensions, the index ${this.dimensions}`);
    }
    const unit = normalised(vector);
    if (!unit) throw new RangeError('template must be finite and not all zero');
    this.remove(ref);
    const key = this.nextKey++;
    this.graph.add(BigInt(key), unit);
    this.slots.set(key, { ref, vector: unit });
    this.keysByRef.set(ref, key);
  }

  /** Adds many templates at once, the graph built on every core (loading a list, a benchmark). */
  addMany(items: readonly { ref: R; vector: Float32Array }[]): void {
    if (items.length === 0) return;
    const keys = new BigUint64Array(items.length);
    const matrix = new Float32Array(items.length * this.dimensions);
    items.forEach(({ ref, vector }, i) => {
      if (vector.length !== this.dimensions) {
        throw new RangeError(`template has ${vector.length} dimensions, the index ${this.dimensions}`);
      }
      const unit = normalised(vector);
      if (!unit) throw new RangeError('template must be finite and not all zero');
      this.remove(ref);
      const key = this.nextKey++;
      keys[i] = BigInt(key);
      matrix.set(unit, i * this.dimensions);
      this.slots.set(key, { ref, vector: matrix.subarray(i * this.dimensions, (i + 1) * this.dimensions) });
      this.keysByRef.set(ref, key);
    });
    this.graph.add(keys, matrix, 0);
  }

  remove(ref: R): boolean {
    const key = this.keysByRef.get(ref);
    if (key === undefined) return false;
    this.graph.remove(BigInt(key));
    this.slots.delete(key);
    this.keysByRef.delete(ref);
    return true;
  }

  /** The `k` most similar templates, best first, by exact similarity among the graph's candidates. */
  search(probe: Float32Array, k: number, candidates = Math.max(k, RERANKED)): FaceCandidate<R>[] {
    if (this.slots.size === 0 || probe.length !== this.dimensions) return [];
    const unit = normalised(probe);
    if (!unit) return [];
    return this.reranked(unit, Math.min(candidates, this.slots.size))
      .sort((a, b) => b.similarity - a.similarity)
      .slice(0, k);
  }

  /**
   * The `k` most similar templates that `filter.accept` takes, best first. Templates it passes over
   * (another region's, expired) may sit nearer the probe than any it takes and fill the graph's
   * candidate list; so while fewer than `k` are taken and the list is crowded (most of it passed
   * over though similar enough to be taken) or ends above `filter.floor`, the search is repeated
   * with twice the candidates, up to `filter.limit`; past that, or when the graph cannot list as
   * many as asked, every template is scanned. The best acceptable template is found however many
   * unacceptable ones crowd around it.
   */
  searchWhere(probe: Float32Array, k: number, filter: SearchFilter<R>): FaceCandidate<R>[] {
    if (this.slots.size === 0 || probe.length !== this.dimensions) return [];
    const unit = normalised(probe);
    if (!unit) return [];
    const size = this.slots.size;
    const limit = Math.min(size, Math.max(filter.limit ?? 1024, filter.candidates ?? RERANKED));
    const floor = filter.floor ?? -1;
    let asked = Math.min(size, Math.max(k, filter.candidates ?? RERANKED));
    for (;;) {
      const candidates = this.reranked(unit, asked);
      const taken: FaceCandidate<R>[] = [];
      let passedOver = 0;
      let weakest = Infinity;
      for (const c of candidates) {
        if (filter.accept(c.ref, c.similarity)) taken.push(c);
        else if (c.similarity >= floor) passedOver++;
        weakest = Math.min(weakest, c.similarity);
      }
      const best = () => taken.sort((a, b) => b.similarity - a.similarity).slice(0, k);
      if (taken.length >= k || candidates.length === size) return best();
      // Near-duplicates packed around the probe can leave templates the graph never reaches.
      if (candidates.length < asked) break;
      // Otherwise, as in any search, whoever the graph would propose next is (approximately)
      // further still; but a list spent mostly on templates passed over says little of what lies
      // beyond it.
      if (weakest < floor && passedOver * 2 <= candidates.length) return best();
      if (asked >= limit) break;
      asked = Math.min(limit, asked * 2);
    }
    return this.bruteForce(unit, k, filter.accept);
  }

  /** The graph's `count` nearest templates to a unit probe, each with its exact similarity. */
  private reranked(unit: Float32Array, count: number): FaceCandidate<R>[] {
    const found = this.graph.search(unit, count, 1);
    const out: FaceCandidate<R>[] = [];
    for (let i = 0; i < found.keys.length; i++) {
      const slot = this.slots.get(Number(found.keys[i]));
      if (slot) out.push({ ref: slot.ref, similarity: dot(unit, slot.vector) });
    }
    return out;
  }

  /** Exact scan of every template (that `accept` takes): the baseline the graph is measured against. */
  bruteForce(
    probe: Float32Array,
    k: number,
    accept: (ref: R, similarity: number) => boolean = () => true,
  ): FaceCandidate<R>[] {
    if (probe.length !== this.dimensions) return [];
    const unit = normalised(probe);
    if (!unit) return [];
    const best: FaceCandidate<R>[] = [];
    for (const { ref, vector } of this.slots.values()) {
      const similarity = dot(unit, vector);
      if (best.length < k || similarity > best[best.length - 1].similarity) {
        if (!accept(ref, similarity)) continue;
        best.push({ ref, similarity });
        best.sort((a, b) => b.similarity - a.similarity);
        if (best.length > k) best.pop();
      }
    }
    return best;
  }
}

/** Four running sums: the additions of one no longer wait on each other's results. */
export function dot(a: Float32Array, b: Float32Array): number {
  const n = a.length;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    s0 += a[i] * b[i];
    s1 += a[i + 1] * b[i + 1];
    s2 += a[i + 2] * b[i + 2];
    s3 += a[i + 3] * b[i + 3];
  }
  for (; i < n; i++) s0 += a[i] * b[i];
  return s0 + s1 + s2 + s3;
}

/** A unit-length copy, or null for a vector that has no direction (zero, NaN, infinite). */
export function normalised(vector: Float32Array): Float32Array | null {
  let norm = 0;
  for (let i = 0; i < vector.length; i++) norm += vector[i] * vector[i];
  if (!Number.isFinite(norm) || norm === 0) return null;
  const scale = 1 / Math.sqrt(norm);
  const unit = new Float32Array(vector.length);
  for (let i = 0; i < vector.length; i++) unit[i] = vector[i] * scale;
  return unit;
}
