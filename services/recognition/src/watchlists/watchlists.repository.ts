import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { updatedRows, type FaceCategory, type Watchlist, type WatchlistKind } from './watchlist';

const COLUMNS = `id, kind, name, region_code AS "regionCode", category, threshold, legal_basis AS "legalBasis",
  owner, created_by AS "createdBy", created_at AS "createdAt", updated_at AS "updatedAt"`;

export type WatchlistChangeKind = 'plate-entry' | 'face-entry' | 'watchlist';

export interface NewWatchlist {
  id: string;
  kind: WatchlistKind;
  name: string;
  regionCode: string;
  category: FaceCategory | null;
  threshold: number | null;
  legalBasis: string;
  owner: string;
  createdBy: string;
}

/** Watchlists, and the change log every instance follows to keep its matchers current. */
/** An entry erased with its list: what its audit record names. */
export interface ErasedEntry {
  id: string;
  regionCode: string;
  legalBasis: string;
}

@Injectable()
export class WatchlistsRepository {
  async insert(m: EntityManager, list: NewWatchlist): Promise<Watchlist> {
    const rows: Watchlist[] = await m.query(
      `INSERT INTO watchlists (id, kind, name, region_code, category, threshold, legal_basis, owner, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${COLUMNS}`,
      [
        list.id,
        list.kind,
        list.name,
        list.regionCode,
        list.category,
        list.threshold,
        list.legalBasis,
        list.owner,
        list.createdBy,
      ],
    );
    return rows[0];
  }

  /** Region scope is applied by the query filter here and by row-level security beneath it. */
  async find(m: EntityManager, regions: readonly string[] | null, id: string): Promise<Watchlist | null> {
    const rows: Watchlist[] = await m.query(
      `SELECT ${COLUMNS} FROM watchlists WHERE id = $1 AND ($2::text[] IS NULL OR region_code = ANY($2::text[]))`,
      [id, regions],
    );
    return rows[0] ?? null;
  }

  async list(
    m: EntityManager,
    regions: readonly string[] | null,
    kind: WatchlistKind | undefined,
    afterId: string | undefined,
    limit: number,
  ): Promise<Watchlist[]> {
    return m.query(
      `SELECT ${COLUMNS} FROM watchlists
       WHERE ($1::text[] IS NULL OR region_code = ANY($1::text[])) AND ($2::text IS NULL OR kind = $2)
         AND ($3::uuid IS NULL OR id > $3) ORDER BY id LIMIT $4`,
      [regions, kind ?? null, afterId ?? null, limit],
    );
  }

  async update(
    m: EntityManager,
    id: string,
    fields: Partial<Pick<Watchlist, 'name' | 'threshold' | 'legalBasis' | 'owner' | 'category'>>,
  ): Promise<Watchlist> {
    const result: unknown = await m.query(
      `UPDATE watchlists SET name = COALESCE($2, name), threshold = COALESCE($3, threshold),
         legal_basis = COALESCE($4, legal_basis), owner = COALESCE($5, owner), category = COALESCE($6, category),
         updated_at = now()
       WHERE id = $1 RETURNING ${COLUMNS}`,
      [
        id,
        fields.name ?? null,
        fields.threshold ?? null,
        fields.legalBasis ?? null,
        fields.owner ?? null,
        fields.category ?? null,
      ],
    );
    return updatedRows<Watchlist>(result)[0];
  }

  /** Deletes the list with its entries (and their templates); returns the entry ids that went. */
  /** Deletes the list with its entries (ON DELETE CASCADE); returns the entries it took. */
  async delete(m: EntityManager, list: Watchlist): Promise<ErasedEntry[]> {
    const table = list.kind === 'plate' ? 'plate_hotlist_entries' : 'face_watchlist_entries';
    const entries: ErasedEntry[] = await m.query(
      `SELECT id, region_code AS "regionCode", legal_basis AS "legalBasis" FROM ${table}
       WHERE watchlist_id = $1 ORDER BY id FOR UPDATE`,
      [list.id],
    );
    await m.query(`DELETE FROM watchlists WHERE id = $1`, [list.id]);
    return entries;
  }

  async recordChanges(m: EntityManager, kind: WatchlistChangeKind, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await m.query(`INSERT INTO watchlist_changes (kind, object_id) SELECT $1, unnest($2::uuid[])`, [
      kind,
      ids,
    ]);
  }
}
