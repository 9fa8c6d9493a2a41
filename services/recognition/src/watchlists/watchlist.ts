import { RegionScope } from '@safecity/security';
import { InvalidError } from '@safecity/service-kit';

export type WatchlistKind = 'plate' | 'face';

export const FACE_CATEGORIES = ['wanted', 'missing-person', 'court-order', 'other'] as const;
export type FaceCategory = (typeof FACE_CATEGORIES)[number];

/** A plate hotlist or a face watchlist: who keeps it, for which region, on what legal basis. */
export interface Watchlist {
  id: string;
  kind: WatchlistKind;
  name: string;
  /** Region that keeps the list: who may see and change it. */
  regionCode: string;
  /** Faces only. */
  category: FaceCategory | null;
  /** Faces only: the lowest similarity (0..1) that counts as a match. */
  threshold: number | null;
  legalBasis: string;
  owner: string;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

/** Object types of the audit log that hold personal data: each action on them names a purpose and a legal basis. */
export const AUDITED_OBJECTS = {
  watchlist: 'watchlist',
  plateEntry: 'plate-hotlist-entry',
  faceEntry: 'face-watchlist-entry',
  match: 'match',
} as const;

export const PERSONAL_DATA_TYPES = [
  AUDITED_OBJECTS.plateEntry,
  AUDITED_OBJECTS.faceEntry,
  AUDITED_OBJECTS.match,
];

/**
 * Where an entry matches: `null` for the whole country, else its regions. A region's staff may
 * aim an entry at their own regions only; national entries need a caller of every region.
 */
export function checkMatchScope(
  scope: RegionScope,
  listRegion: string,
  requested: readonly string[] | 'national' | undefined,
): string[] | null {
  if (requested === 'national') {
    if (!scope.all)
      throw new InvalidError({
        field: 'regions',
        reason: 'only national staff may list an entry nationwide',
      });
    return null;
  }
  const regions = [...new Set(requested ?? [listRegion])].sort();
  const outside = regions.find((r) => !scope.includes(r));
  if (outside !== undefined)
    throw new InvalidError({ field: 'regions', reason: `region ${outside} is outside your scope` });
  return regions;
}

/** The longest an entry may be listed before someone must renew its legal basis. */
const MAX_LISTING_MS = 5 * 366 * 24 * 3600 * 1000;

/** An entry's expiry: in the future, and at most five years ahead. */
export function checkListingExpiry(expiresAt: Date): void {
  const now = Date.now();
  if (expiresAt.getTime() <= now)
    throw new InvalidError({ field: 'expiresAt', reason: 'must be in the future' });
  if (expiresAt.getTime() > now + MAX_LISTING_MS) {
    throw new InvalidError({
      field: 'expiresAt',
      reason: 'an entry may be listed for at most five years at a time',
    });
  }
}

/** Rows of an `UPDATE … RETURNING`, which TypeORM hands back as `[rows, affected]`. */
export function updatedRows<T>(result: unknown): T[] {
  return (Array.isArray(result) && Array.isArray(result[0]) ? result[0] : result) as T[];
}
