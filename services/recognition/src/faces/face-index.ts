import { Index, MetricKind, ScalarKind } from 'usearch';

export interface FaceIndexOptions {
  /** HNSW graph degree; default 32. */
  connectivity?: number;
  /** Candidate list size while inserting; default 256. */
  expansionAdd?: number;
  /** Candidate list size while searching; default 256. */
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

/** Which templates a search may return, and how far it may look for them. */
export interface SearchFilter<R> {
  accept(ref: R, similarity: number): boolean;
  /** Graph candidates re-ranked by the first search; default 64. */
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
 * Templates of one extractor model, searched 1:N: an HNSW graph (usearch, cosine) proposes
 * candidates, which are then re-ranked by their exact cosine similarity against the stored,
 * unit-length vectors, so the scores reported are exact even where the graph's are approximate.
 * Only vectors of the same model and dimension ever meet here.
 */
export class FaceIndex<R> {
  private readonly graph: Index;
  private readonly vectors = new Map<bigint, Float32Array>();
  private readonly refs = new Map<bigint, R>();
  private readonly keysByRef = new Map<R, bigint>();
  private nextKey = 1n;

  constructor(
    readonly dimensions: number,
    options: FaceIndexOptions = {},
  ) {
    if (!Number.isInteger(dimensions) || dimensions < 1)
      throw new RangeError('dimensions must be a positive integer');
    this.graph = new Index({
      dimensions,
      metric: MetricKind.Cos,
      quantization: SCALAR[options.quantization ?? 'i8'],
      multi: false,
      connectivity: options.connectivity ?? 32,
      expansion_add: options.expansionAdd ?? 256,
      expansion_search: options.expansionSearch ?? 256,
    });
  }

  get size(): number {
    return this.vectors.size;
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
    this.graph.add(key, unit);
    this.vectors.set(key, unit);
    this.refs.set(key, ref);
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
      keys[i] = key;
      matrix.set(unit, i * this.dimensions);
      this.vectors.set(key, matrix.subarray(i * this.dimensions, (i + 1) * this.dimensions));
      this.refs.set(key, ref);
      this.keysByRef.set(ref, key);
    });
    this.graph.add(keys, matrix, 0);
  }

  remove(ref: R): boolean {
    const key = this.keysByRef.get(ref);
    if (key === undefined) return false;
    this.graph.remove(key);
    this.vectors.delete(key);
    this.refs.delete(key);
    this.keysByRef.delete(ref);
    return true;
  }

  /** The `k` most similar templates, best first, by exact similarity among the graph's candidates. */
  search(probe: Float32Array, k: number, candidates = Math.max(k, 64)): FaceCandidate<R>[] {
    if (this.vectors.size === 0 || probe.length !== this.dimensions) return [];
    const unit = normalised(probe);
    if (!unit) return [];
    return this.reranked(unit, Math.min(candidates, this.vectors.size))
      .sort((a, b) => b.similarity - a.similarity)
      .slice(0, k);
  }

  /**
   * The `k` most similar templates that `filter.accept` takes, best first. Templates it passes over
   * (another region's, expired) may sit nearer the probe than any it takes and fill the graph's
   * candidate list; so while fewer than `k` are taken and the graph still proposes templates at
   * least `filter.floor` similar, the search is repeated with twice the candidates, up to
   * `filter.limit`, and past that every template is scanned: the best acceptable template is
   * found however many unacceptable ones crowd around it.
   */
  searchWhere(probe: Float32Array, k: number, filter: SearchFilter<R>): FaceCandidate<R>[] {
    if (this.vectors.size === 0 || probe.length !== this.dimensions) return [];
    const unit = normalised(probe);
    if (!unit) return [];
    const size = this.vectors.size;
    const limit = Math.min(size, Math.max(filter.limit ?? 1024, filter.candidates ?? 64));
    const floor = filter.floor ?? -1;
    let asked = Math.min(size, Math.max(k, filter.candidates ?? 64));
    for (;;) {
      const candidates = this.reranked(unit, asked);
      const taken = candidates.filter((c) => filter.accept(c.ref, c.similarity));
      const weakest = candidates.reduce((min, c) => Math.min(min, c.similarity), Infinity);
      // Whoever the graph would propose next is (approximately) further still: below every
      // threshold once the weakest proposed is, and behind the `k` taken once there are `k`.
      if (taken.length >= k || weakest < floor || candidates.length === size) {
        return taken.sort((a, b) => b.similarity - a.similarity).slice(0, k);
      }
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
      const key = found.keys[i];
      const vector = this.vectors.get(key);
      if (!vector) continue;
      out.push({ ref: this.refs.get(key) as R, similarity: dot(unit, vector) });
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
    for (const [key, vector] of this.vectors) {
      const similarity = dot(unit, vector);
      if (best.length < k || similarity > best[best.length - 1].similarity) {
        const ref = this.refs.get(key) as R;
        if (!accept(ref, similarity)) continue;
        best.push({ ref, similarity });
        best.sort((a, b) => b.similarity - a.similarity);
        if (best.length > k) best.pop();
      }
    }
    return best;
  }
}

export function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return sum;
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
