import { Inject, Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { WatchlistChangeFeed, type WatchlistFollower } from '../watchlists/watchlist-change-feed';
import type { WatchlistChangeKind } from '../watchlists/watchlists.repository';
import {
  InvalidHotlistEntryError,
  PlateHotlistIndex,
  type PlateHit,
  type PlateMatchKind,
} from './plate-hotlist-index';
import { PlateHotlistRepository, type ListedPlate } from './plate-hotlist.repository';

export const PLATE_MATCHING_OPTIONS = Symbol('PLATE_MATCHING_OPTIONS');

export interface PlateMatchingOptions {
  /**
   * OCR confidence below which one-edit hits are dropped. A one-edit neighbourhood is wide: at
   * 10^6 listed plates about 29% of random unlisted readings have one, so a one-edit hit on a
   * doubtful reading is mostly noise for the operator. Default 0.8.
   */
  oneEditMinConfidence?: number;
  /** Candidates kept per match, best first; default 10. */
  maxCandidates?: number;
  now?: () => Date;
}

/** Similarity of the reading to the listed plate (0..1) by kind of match, before OCR weighting. */
export const KIND_SCORE: Record<PlateMatchKind, number> = { exact: 1, confusable: 0.95, 'one-edit': 0.85 };

export interface ScoredPlateHit extends PlateHit<ListedPlate> {
  /** KIND_SCORE, times the OCR confidence for one-edit hits (their only evidence is the reading). */
  score: number;
}

/**
 * The plate hotlists of every region in memory, loaded from the database at start and kept
 * current through the watchlist change feed; answers which live, in-scope entries a reading
 * matches, how, and how strongly.
 */
@Injectable()
export class PlateHotlistMatcher implements WatchlistFollower {
  readonly name = 'plate-hotlists';
  private index = new PlateHotlistIndex<ListedPlate>();
  private readonly now: () => Date;
  private readonly logger = new Logger('PlateHotlistMatcher');

  constructor(
    private readonly entries: PlateHotlistRepository,
    feed: WatchlistChangeFeed,
    @Inject(PLATE_MATCHING_OPTIONS) private readonly options: PlateMatchingOptions,
  ) {
    this.now = options.now ?? (() => new Date());
    feed.register(this);
  }

  get size(): number {
    return this.index.size;
  }

  async load(manager: EntityManager): Promise<void> {
    const index = new PlateHotlistIndex<ListedPlate>();
    for await (const batch of this.entries.live(manager)) for (const entry of batch) this.list(index, entry);
    this.index = index;
  }

  async apply(manager: EntityManager, kind: WatchlistChangeKind, ids: readonly string[]): Promise<void> {
    if (kind !== 'plate-entry') return;
    const found = new Map((await this.entries.findMany(manager, ids)).map((e) => [e.id, e]));
    for (const id of ids) {
      const entry = found.get(id);
      if (entry && entry.expiresAt.getTime() > this.now().getTime()) this.list(this.index, entry);
      else this.index.remove(id);
    }
  }

  /** A row the index refuses (written around the API) is left out and reported, not fatal to the rest. */
  private list(index: PlateHotlistIndex<ListedPlate>, entry: ListedPlate): void {
    try {
      index.add(entry);
    } catch (error) {
      if (!(error instanceof InvalidHotlistEntryError)) throw error;
      index.remove(entry.id);
      this.logger.error(`hotlist entry ${entry.id} left out: ${error.message}`);
    }
  }

  sweep(): void {
    this.index.removeExpired(this.now());
  }

  /** Live entries of the camera's region (and national ones) the reading matches, best first. */
  match(text: string, confidence: number, regionCode: string): ScoredPlateHit[] {
    const result = this.index.match(text, { now: this.now(), regions: [regionCode] });
    const floor = this.options.oneEditMinConfidence ?? 0.8;
    const hits: ScoredPlateHit[] = [];
    for (const hit of result.hits) {
      if (hit.kind === 'one-edit' && !(confidence >= floor)) continue;
      const weight = hit.kind === 'one-edit' ? Math.min(1, Math.max(0, confidence)) : 1;
      hits.push({ ...hit, score: round(KIND_SCORE[hit.kind] * weight) });
    }
    // The index orders by kind, then priority; a weighted one-edit hit never outranks a closer kind.
    return hits.slice(0, this.options.maxCandidates ?? 10);
  }
}

const round = (x: number) => Math.round(x * 1e4) / 1e4;
