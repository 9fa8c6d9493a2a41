import { Inject, Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { FaceTemplate } from '../pipeline/face-template-store';
import type { FaceCategory } from '../watchlists/watchlist';
import { WatchlistChangeFeed, type WatchlistFollower } from '../watchlists/watchlist-change-feed';
import type { WatchlistChangeKind } from '../watchlists/watchlists.repository';
import { FaceIndex, RERANKED, type FaceCandidate, type FaceIndexOptions } from './face-index';
import { FaceWatchlistRepository, type FaceEntry, type SealedTemplate } from './face-watchlist.repository';
import { TemplateSealer } from './template-sealer';

export const FACE_MATCHING_OPTIONS = Symbol('FACE_MATCHING_OPTIONS');

export interface FaceMatchingOptions {
  /** Base64 of the 32-byte key enrolled templates are sealed with. */
  templateKey?: string;
  /**
   * Whether, without `templateKey`, templates are sealed with the public development key (with a
   * warning) rather than the service refusing to start. Default true, for the embedded platform,
   * tests and benchmarks; the standalone process allows it only when FACE_TEMPLATE_KEY_DEVELOPMENT
   * is set.
   */
  developmentKey?: boolean;
  index?: FaceIndexOptions;
  /** Graph candidates re-ranked exactly per search; default 16 (`RERANKED`). */
  candidates?: number;
  /**
   * Most graph candidates a search widens to when expired entries or lists that are gone crowd
   * the first candidates, before it scans every template of the scope; default 1024.
   */
  searchLimit?: number;
  /** Candidates kept per match, best first; default 5. */
  maxCandidates?: number;
  now?: () => Date;
}

interface ListSettings {
  threshold: number;
  category: FaceCategory;
}

export interface FaceHit {
  entry: FaceEntry;
  category: FaceCategory;
  threshold: number;
  /** Best similarity over the entry's templates, 0..1. */
  score: number;
}

/** Binds a sealed template to its row: it opens for that template, entry and model only. */
export const templateBinding = (t: { id: string; entryId: string; model: string }) =>
  `${t.id}:${t.entryId}:${t.model}`;

/**
 * The sealer of enrolled templates: under the configured key, or the development key where that
 * is explicitly allowed; otherwise the service must not start.
 */
export function templateSealerFor(
  options: Pick<FaceMatchingOptions, 'templateKey' | 'developmentKey'>,
  logger: Pick<Logger, 'warn'>,
): TemplateSealer {
  if (options.templateKey) return TemplateSealer.fromBase64(options.templateKey);
  if (options.developmentKey === false) {
    throw new Error(
      'FACE_TEMPLATE_KEY is not set: refusing to seal enrolled face templates with the public development key',
    );
  }
  logger.warn('FACE_TEMPLATE_KEY is not set: enrolled templates are sealed with a development key');
  return TemplateSealer.development();
}

/**
 * One extractor model's templates, partitioned by scope: entries that match nationwide in one
 * graph, region-scoped ones in a graph per region (an entry scoped to several regions in each).
 * A camera's search reads only the national graph and its region's, so however many entries of
 * other regions resemble a probe, they cannot crowd an in-scope one out of the candidates.
 */
interface ModelIndex {
  dimensions: number;
  national?: FaceIndex<string>;
  regions: Map<string, FaceIndex<string>>;
}

/** Where a template is indexed: the national graph, or these regions' graphs. */
type Scope = 'national' | readonly string[];

/**
 * The face watchlists of every region in memory: per extractor model, an index per scope; the
 * live entries and each list's threshold; loaded at start and kept current through the watchlist
 * change feed.
 */
@Injectable()
export class FaceMatcher implements WatchlistFollower {
  readonly name = 'face-watchlists';
  private indexes = new Map<string, ModelIndex>();
  /** Template id → its entry. */
  private templateEntry = new Map<string, string>();
  private entryTemplates = new Map<string, { id: string; model: string; scope: Scope }[]>();
  private entries = new Map<string, FaceEntry>();
  private lists = new Map<string, ListSettings>();
  /** No list matches below this: where a widening search may stop. */
  private lowestThreshold = 0;
  private readonly now: () => Date;
  readonly sealer: TemplateSealer;

  constructor(
    private readonly repository: FaceWatchlistRepository,
    feed: WatchlistChangeFeed,
    @Inject(FACE_MATCHING_OPTIONS) private readonly options: FaceMatchingOptions,
  ) {
    this.now = options.now ?? (() => new Date());
    this.sealer = templateSealerFor(options, new Logger('FaceMatcher'));
    feed.register(this);
  }

  get templateCount(): number {
    return this.templateEntry.size;
  }

  async load(manager: EntityManager): Promise<void> {
    this.indexes = new Map();
    this.templateEntry = new Map();
    this.entryTemplates = new Map();
    this.entries = new Map();
    this.lists = new Map();
    await this.reloadLists(manager, null);
    for await (const batch of this.repository.live(manager)) {
      for (const entry of batch) this.entries.set(entry.id, entry);
      this.addTemplates(
        await this.repository.sealedTemplates(
          manager,
          batch.map((e) => e.id),
        ),
      );
    }
  }

  async apply(manager: EntityManager, kind: WatchlistChangeKind, ids: readonly string[]): Promise<void> {
    if (kind === 'watchlist') {
      await this.reloadLists(manager, ids);
      return;
    }
    if (kind !== 'face-entry') return;
    for (const id of ids) this.forget(id);
    const now = this.now().getTime();
    const live = (await this.repository.findMany(manager, ids)).filter((e) => e.expiresAt.getTime() > now);
    for (const entry of live) this.entries.set(entry.id, entry);
    if (live.length > 0)
      this.addTemplates(
        await this.repository.sealedTemplates(
          manager,
          live.map((e) => e.id),
        ),
      );
  }

  /**
   * Live entries, in scope for the camera's region, whose best template of the probe's model is at
   * least as similar as their list's threshold; best first.
   */
  match(probe: FaceTemplate, regionCode: string): FaceHit[] {
    const model = this.indexes.get(probe.model);
    if (!model || probe.vector.length !== model.dimensions) return [];
    const now = this.now().getTime();
    const wanted = this.options.maxCandidates ?? 5;
    const hits = new Map<string, FaceCandidate<string>>();
    const inScope = (ref: string, similarity: number) => {
      const entry = this.entries.get(this.templateEntry.get(ref) ?? '');
      if (!entry || entry.expiresAt.getTime() <= now) return false;
      if (entry.regions !== 'national' && !entry.regions.includes(regionCode)) return false;
      const list = this.lists.get(entry.watchlistId);
      return list !== undefined && Math.max(0, Math.min(1, similarity)) >= list.threshold;
    };
    for (const index of [model.national, model.regions.get(regionCode)]) {
      if (!index) continue;
      const found = index.searchWhere(probe.vector, wanted, {
        accept: inScope,
        candidates: this.options.candidates ?? RERANKED,
        limit: this.options.searchLimit,
        floor: this.lowestThreshold,
      });
      for (const candidate of found) hits.set(candidate.ref, candidate);
    }
    const best = new Map<string, FaceHit>();
    for (const candidate of hits.values()) {
      const entry = this.entries.get(this.templateEntry.get(candidate.ref) ?? '') as FaceEntry;
      const list = this.lists.get(entry.watchlistId) as ListSettings;
      const score = Math.max(0, Math.min(1, candidate.similarity));
      const known = best.get(entry.id);
      if (!known || known.score < score) {
        best.set(entry.id, {
          entry,
          category: list.category,
          threshold: list.threshold,
          score: round(score),
        });
      }
    }
    return [...best.values()].sort((a, b) => b.score - a.score).slice(0, wanted);
  }

  private async reloadLists(manager: EntityManager, ids: readonly string[] | null): Promise<void> {
    const rows: { id: string; threshold: number; category: FaceCategory }[] = await manager.query(
      `SELECT id, threshold, category FROM watchlists WHERE kind = 'face' AND ($1::uuid[] IS NULL OR id = ANY($1::uuid[]))`,
      [ids],
    );
    for (const id of ids ?? []) this.lists.delete(id);
    for (const row of rows)
      this.lists.set(row.id, { threshold: row.threshold, category: row.category ?? 'other' });
    this.lowestThreshold = [...this.lists.values()].reduce((min, l) => Math.min(min, l.threshold), 1);
  }

  private addTemplates(templates: readonly SealedTemplate[]): void {
    const batches = new Map<FaceIndex<string>, { ref: string; vector: Float32Array }[]>();
    for (const t of templates) {
      const entry = this.entries.get(t.entryId);
      if (!entry) continue;
      const vector = this.sealer.open(t.sealed, templateBinding(t));
      let model = this.indexes.get(t.model);
      if (!model) this.indexes.set(t.model, (model = { dimensions: t.dimensions, regions: new Map() }));
      // A model's dimension is fixed by its first template; enrolment refuses others.
      if (vector.length !== model.dimensions) continue;
      const scope: Scope = entry.regions === 'national' ? 'national' : [...new Set(entry.regions)];
      for (const index of this.scopeIndexes(model, scope)) {
        const batch = batches.get(index) ?? [];
        batch.push({ ref: t.id, vector });
        batches.set(index, batch);
      }
      this.templateEntry.set(t.id, t.entryId);
      const list = this.entryTemplates.get(t.entryId) ?? [];
      list.push({ id: t.id, model: t.model, scope });
      this.entryTemplates.set(t.entryId, list);
    }
    for (const [index, batch] of batches) index.addMany(batch);
  }

  /** The graphs a template of this scope lives in, created on first use. */
  private scopeIndexes(model: ModelIndex, scope: Scope): FaceIndex<string>[] {
    const create = () => new FaceIndex<string>(model.dimensions, this.options.index);
    if (scope === 'national') return [(model.national ??= create())];
    return scope.map((region) => {
      let index = model.regions.get(region);
      if (!index) model.regions.set(region, (index = create()));
      return index;
    });
  }

  sweep(): void {
    const now = this.now().getTime();
    for (const entry of [...this.entries.values()])
      if (entry.expiresAt.getTime() <= now) this.forget(entry.id);
  }

  /** The dimension of a model's templates, once one is enrolled. */
  dimensionsOf(model: string): number | undefined {
    return this.indexes.get(model)?.dimensions;
  }

  private forget(entryId: string): void {
    for (const t of this.entryTemplates.get(entryId) ?? []) {
      const model = this.indexes.get(t.model);
      if (model) {
        if (t.scope === 'national') model.national?.remove(t.id);
        // A region's graph that empties is dropped, not kept for entries that may never come.
        else
          for (const region of t.scope) {
            const index = model.regions.get(region);
            if (index?.remove(t.id) && index.size === 0) model.regions.delete(region);
          }
      }
      this.templateEntry.delete(t.id);
    }
    this.entryTemplates.delete(entryId);
    this.entries.delete(entryId);
  }
}

const round = (x: number) => Math.round(x * 1e4) / 1e4;
