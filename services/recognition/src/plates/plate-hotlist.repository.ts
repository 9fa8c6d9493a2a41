import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { updatedRows } from '../watchlists/watchlist';
import type { HotlistReason, PlateHotlistEntry } from './plate-hotlist-index';

/** A hotlist entry as stored: what the matcher needs, and who listed it on what basis. */
export interface ListedPlate extends PlateHotlistEntry {
  regionCode: string;
  legalBasis: string;
  owner: string;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

interface PlateRow extends Omit<ListedPlate, 'regions'> {
  scopeRegions: string[] | null;
}

const COLUMNS = `id, watchlist_id AS "watchlistId", region_code AS "regionCode", plate, country, reason, priority,
  legal_basis AS "legalBasis", owner, scope_regions AS "scopeRegions", expires_at AS "expiresAt",
  created_by AS "createdBy", created_at AS "createdAt", updated_at AS "updatedAt"`;

const toEntry = ({ scopeRegions, ...row }: PlateRow): ListedPlate => ({
  ...row,
  regions: scopeRegions ?? 'national',
});

export interface PlateEntryValues {
  plate: string;
  country: string;
  reason: HotlistReason;
  priority: number;
  legalBasis: string;
  owner: string;
  scopeRegions: string[] | null;
  expiresAt: Date;
}

@Injectable()
export class PlateHotlistRepository {
  async insert(
    m: EntityManager,
    entry: PlateEntryValues & { id: string; watchlistId: string; regionCode: string; createdBy: string },
  ): Promise<ListedPlate> {
    const rows: PlateRow[] = await m.query(
      `INSERT INTO plate_hotlist_entries (id, watchlist_id, region_code, plate, country, reason, priority, legal_basis,
         owner, scope_regions, expires_at, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING ${COLUMNS}`,
      [
        entry.id,
        entry.watchlistId,
        entry.regionCode,
        entry.plate,
        entry.country,
        entry.reason,
        entry.priority,
        entry.legalBasis,
        entry.owner,
        entry.scopeRegions,
        entry.expiresAt,
        entry.createdBy,
      ],
    );
    return toEntry(rows[0]);
  }

  async update(m: EntityManager, id: string, values: PlateEntryValues): Promise<ListedPlate> {
    const result: unknown = await m.query(
      `UPDATE plate_hotlist_entries SET country = $2, reason = $3, priority = $4, legal_basis = $5, owner = $6,
         scope_regions = $7, expires_at = $8, updated_at = now()
       WHERE id = $1 RETURNING ${COLUMNS}`,
      [
        id,
        values.country,
        values.reason,
        values.priority,
        values.legalBasis,
        values.owner,
        values.scopeRegions,
        values.expiresAt,
      ],
    );
    return toEntry(updatedRows<PlateRow>(result)[0]);
  }

  async find(m: EntityManager, regions: readonly string[] | null, id: string): Promise<ListedPlate | null> {
    const rows: PlateRow[] = await m.query(
      `SELECT ${COLUMNS} FROM plate_hotlist_entries
       WHERE id = $1 AND ($2::text[] IS NULL OR region_code = ANY($2::text[]))`,
      [id, regions],
    );
    return rows[0] ? toEntry(rows[0]) : null;
  }

  async findMany(m: EntityManager, ids: readonly string[]): Promise<ListedPlate[]> {
    const rows: PlateRow[] = await m.query(
      `SELECT ${COLUMNS} FROM plate_hotlist_entries WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    return rows.map(toEntry);
  }

  async listOf(
    m: EntityManager,
    regions: readonly string[] | null,
    watchlistId: string,
    afterId: string | undefined,
    limit: number,
  ): Promise<ListedPlate[]> {
    const rows: PlateRow[] = await m.query(
      `SELECT ${COLUMNS} FROM plate_hotlist_entries
       WHERE watchlist_id = $1 AND ($2::text[] IS NULL OR region_code = ANY($2::text[]))
         AND ($3::uuid IS NULL OR id > $3) ORDER BY id LIMIT $4`,
      [watchlistId, regions, afterId ?? null, limit],
    );
    return rows.map(toEntry);
  }

  /** Every entry that can still match, for loading the index; streamed in id order. */
  async *live(m: EntityManager, batch = 10_000): AsyncGenerator<ListedPlate[]> {
    let after: string | null = null;
    for (;;) {
      const rows: PlateRow[] = await m.query(
        `SELECT ${COLUMNS} FROM plate_hotlist_entries
         WHERE expires_at > now() AND ($1::uuid IS NULL OR id > $1) ORDER BY id LIMIT $2`,
        [after, batch],
      );
      if (rows.length === 0) return;
      yield rows.map(toEntry);
      if (rows.length < batch) return;
      after = rows[rows.length - 1].id;
    }
  }

  async delete(m: EntityManager, id: string): Promise<void> {
    await m.query(`DELETE FROM plate_hotlist_entries WHERE id = $1`, [id]);
  }
}
