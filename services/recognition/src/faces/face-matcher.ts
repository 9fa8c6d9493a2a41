import { Inject, Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { FaceTemplate } from '../pipeline/face-template-store';
import type { FaceCategory } from '../watchlists/watchlist';
import { WatchlistChangeFeed, type WatchlistFollower } from '../watchlists/watchlist-change-feed';
import type { WatchlistChangeKind } from '../watchlists/watchlists.repository';
import { FaceIndex, type FaceIndexOptions } from './face-index';
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
  /** Graph candidates re-ranked exactly per search; default 64. */
  candidates?: number;
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
 * The face watchlists of every region in memory: one index per extractor model, the live entries
 * and each list's threshold; loaded at start and kept current through the watchlist change feed.
 */
@Injectable()
export class FaceMatcher implements WatchlistFollower {
  readonly name = 'face-watchlists';
  private indexes = new Map<string, FaceIndex<string>>();
  /** Template id → its entry. */
  private templateEntry = new Map<string, string>();
  private entryTemplates = new Map<string, { id: string; model: string }[]>();
  private entries = new Map<string, FaceEntry>();
  private lists = new Map<string, ListSettings>();
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
    const index = this.indexes.get(probe.model);
    if (!index || probe.vector.length !== index.dimensions) return [];
    const now = this.now().getTime();
    const best = new Map<string, FaceHit>();
    for (const candidate of index.search(
      probe.vector,
      this.options.candidates ?? 32,
      this.options.candidates ?? 32,
    )) {
      const entry = this.entries.get(this.templateEntry.get(candidate.ref) ?? '');
      if (!entry || entry.expiresAt.getTime() <= now) continue;
      if (entry.regions !== 'national' && !entry.regions.includes(regionCode)) continue;
      const list = this.lists.get(entry.watchlistId);
      if (!list) continue;
      const score = Math.max(0, Math.min(1, candidate.similarity));
      if (score < list.threshold) continue;
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
    return [...best.values()].sort((a, b) => b.score - a.score).slice(0, this.options.maxCandidates ?? 5);
  }

  private async reloadLists(manager: EntityManager, ids: readonly string[] | null): Promise<void> {
    const rows: { id: string; threshold: number; category: FaceCategory }[] = await manager.query(
      `SELECT id, threshold, category FROM watchlists WHERE kind = 'face' AND ($1::uuid[] IS NULL OR id = ANY($1::uuid[]))`,
      [ids],
    );
    for (const id of ids ?? []) this.lists.delete(id);
    for (const row of rows)
      this.lists.set(row.id, { threshold: row.threshold, category: row.category ?? 'other' });
  }

  private addTemplates(templates: readonly SealedTemplate[]): void {
    const byModel = new Map<string, { ref: string; vector: Float32Array }[]>();
    for (const t of templates) {
      const vector = this.sealer.open(t.sealed, templateBinding(t));
      let index = this.indexes.get(t.model);
      if (!index)
        this.indexes.set(t.model, (index = new FaceIndex<string>(t.dimensions, this.options.index)));
      // A model's dimension is fixed by its first template; enrolment refuses others.
      if (vector.length !== index.dimensions) continue;
      const batch = byModel.get(t.model) ?? [];
      batch.push({ ref: t.id, vector });
      byModel.set(t.model, batch);
      this.templateEntry.set(t.id, t.entryId);
      const list = this.entryTemplates.get(t.entryId) ?? [];
      list.push({ id: t.id, model: t.model });
      this.entryTemplates.set(t.entryId, list);
    }
    for (const [model, batch] of byModel) this.indexes.get(model)?.addMany(batch);
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
      this.indexes.get(t.model)?.remove(t.id);
      this.templateEntry.delete(t.id);
    }
    this.entryTemplates.delete(entryId);
    this.entries.delete(entryId);
  }
}

const round = (x: number) => Math.round(x * 1e4) / 1e4;
