import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { updatedRows } from '../watchlists/watchlist';

/** A subject enrolled in a face watchlist; the person behind `subjectRef` is known to the list's owner only. */
export interface FaceEntry {
  id: string;
  watchlistId: string;
  regionCode: string;
  subjectRef: string;
  legalBasis: string;
  owner: string;
  /** Regions whose cameras it matches, or the whole country. */
  regions: 'national' | string[];
  expiresAt: Date;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

/** What is shown of an enrolled template: never the vector. */
export interface TemplateInfo {
  id: string;
  entryId: string;
  model: string;
  dimensions: number;
  enrolledAt: Date;
}

export interface SealedTemplate extends TemplateInfo {
  regionCode: string;
  sealed: Buffer;
}

type EntryRow = Omit<FaceEntry, 'regions'> & { scopeRegions: string[] | null };

const COLUMNS = `id, watchlist_id AS "watchlistId", region_code AS "regionCode", subject_ref AS "subjectRef",
  legal_basis AS "legalBasis", owner, scope_regions AS "scopeRegions", expires_at AS "expiresAt",
  created_by AS "createdBy", created_at AS "createdAt", updated_at AS "updatedAt"`;
const TEMPLATE_INFO = `id, entry_id AS "entryId", model, dimensions, enrolled_at AS "enrolledAt"`;

const toEntry = ({ scopeRegions, ...row }: EntryRow): FaceEntry => ({
  ...row,
  regions: scopeRegions ?? 'national',
});

export interface FaceEntryValues {
  legalBasis: string;
  owner: string;
  scopeRegions: string[] | null;
  expiresAt: Date;
}

@Injectable()
export class FaceWatchlistRepository {
  async insert(
    m: EntityManager,
    e: FaceEntryValues & {
      id: string;
      watchlistId: string;
      regionCode: string;
      subjectRef: string;
      createdBy: string;
    },
  ): Promise<FaceEntry> {
    const rows: EntryRow[] = await m.query(
      `INSERT INTO face_watchlist_entries (id, watchlist_id, region_code, subject_ref, legal_basis, owner,
         scope_regions, expires_at, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${COLUMNS}`,
      [
        e.id,
        e.watchlistId,
        e.regionCode,
        e.subjectRef,
        e.legalBasis,
        e.owner,
        e.scopeRegions,
        e.expiresAt,
        e.createdBy,
      ],
    );
    return toEntry(rows[0]);
  }

  async update(m: EntityManager, id: string, v: FaceEntryValues): Promise<FaceEntry> {
    const result: unknown = await m.query(
      `UPDATE face_watchlist_entries SET legal_basis = $2, owner = $3, scope_regions = $4, expires_at = $5,
         updated_at = now()
       WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, v.legalBasis, v.owner, v.scopeRegions, v.expiresAt],
    );
    return toEntry(updatedRows<EntryRow>(result)[0]);
  }

  async find(m: EntityManager, regions: readonly string[] | null, id: string): Promise<FaceEntry | null> {
    const rows: EntryRow[] = await m.query(
      `SELECT ${COLUMNS} FROM face_watchlist_entries
       WHERE id = $1 AND ($2::text[] IS NULL OR region_code = ANY($2::text[]))`,
      [id, regions],
    );
    return rows[0] ? toEntry(rows[0]) : null;
  }

  async findMany(m: EntityManager, ids: readonly string[]): Promise<FaceEntry[]> {
    const rows: EntryRow[] = await m.query(
      `SELECT ${COLUMNS} FROM face_watchlist_entries WHERE id = ANY($1::uuid[])`,
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
  ): Promise<FaceEntry[]> {
    const rows: EntryRow[] = await m.query(
      `SELECT ${COLUMNS} FROM face_watchlist_entries
       WHERE watchlist_id = $1 AND ($2::text[] IS NULL OR region_code = ANY($2::text[]))
         AND ($3::uuid IS NULL OR id > $3) ORDER BY id LIMIT $4`,
      [watchlistId, regions, afterId ?? null, limit],
    );
    return rows.map(toEntry);
  }

  /** Entries that can still match, in id order, a batch at a time. */
  async *live(m: EntityManager, batch = 5_000): AsyncGenerator<FaceEntry[]> {
    let after: string | null = null;
    for (;;) {
      const rows: EntryRow[] = await m.query(
        `SELECT ${COLUMNS} FROM face_watchlist_entries
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
    await m.query(`DELETE FROM face_watchlist_entries WHERE id = $1`, [id]);
  }

  async addTemplate(
    m: EntityManager,
    t: {
      id: string;
      entryId: string;
      regionCode: string;
      model: string;
      dimensions: number;
      sealed: Buffer;
      enrolledBy: string;
    },
  ): Promise<TemplateInfo> {
    const rows: TemplateInfo[] = await m.query(
      `INSERT INTO face_templates (id, entry_id, region_code, model, dimensions, sealed, enrolled_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${TEMPLATE_INFO}`,
      [t.id, t.entryId, t.regionCode, t.model, t.dimensions, t.sealed, t.enrolledBy],
    );
    return rows[0];
  }

  async templateInfo(m: EntityManager, entryIds: readonly string[]): Promise<TemplateInfo[]> {
    return m.query(
      `SELECT ${TEMPLATE_INFO} FROM face_templates WHERE entry_id = ANY($1::uuid[]) ORDER BY enrolled_at, id`,
      [entryIds],
    );
  }

  async sealedTemplates(m: EntityManager, entryIds: readonly string[]): Promise<SealedTemplate[]> {
    return m.query(
      `SELECT ${TEMPLATE_INFO}, region_code AS "regionCode", sealed FROM face_templates WHERE entry_id = ANY($1::uuid[])`,
      [entryIds],
    );
  }
}
