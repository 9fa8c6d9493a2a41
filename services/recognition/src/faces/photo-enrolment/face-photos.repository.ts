import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

export interface KeptPhoto {
  id: string;
  entryId: string;
  regionCode: string;
  sealed: Buffer;
  templateModel: string;
}

/** Kept enrolment photos (sealed) and the entries flagged as needing a new photo. */
@Injectable()
export class FacePhotosRepository {
  async keep(m: EntityManager, photo: KeptPhoto, keptBy: string): Promise<void> {
    await m.query(
      `INSERT INTO recognition.face_entry_photos (id, entry_id, region_code, sealed, template_model, kept_by)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [photo.id, photo.entryId, photo.regionCode, photo.sealed, photo.templateModel, keptBy],
    );
  }

  /** The entry is no longer waiting for a photo once one is enrolled. */
  async clearFlag(m: EntityManager, entryId: string): Promise<void> {
    await m.query(`DELETE FROM recognition.face_entries_needing_photo WHERE entry_id = $1`, [entryId]);
  }

  /** Live entries with no template of `model`: with their newest kept photo, if any. */
  async entriesWithout(
    m: EntityManager,
    model: string,
  ): Promise<
    {
      entryId: string;
      regionCode: string;
      legalBasis: string;
      watchlistId: string;
      photo: KeptPhoto | null;
    }[]
  > {
    const rows: {
      entryId: string;
      regionCode: string;
      legalBasis: string;
      watchlistId: string;
      photoId: string | null;
      sealed: Buffer | null;
      templateModel: string | null;
    }[] = await m.query(
      `SELECT e.id AS "entryId", e.region_code AS "regionCode", e.legal_basis AS "legalBasis",
              e.watchlist_id AS "watchlistId", p.id AS "photoId", p.sealed, p.template_model AS "templateModel"
         FROM recognition.face_watchlist_entries e
         LEFT JOIN LATERAL (
           SELECT id, sealed, template_model FROM recognition.face_entry_photos
            WHERE entry_id = e.id ORDER BY kept_at DESC LIMIT 1
         ) p ON true
        WHERE e.expires_at > now()
          AND NOT EXISTS (SELECT 1 FROM recognition.face_templates t WHERE t.entry_id = e.id AND t.model = $1)
        ORDER BY e.id`,
      [model],
    );
    return rows.map((r) => ({
      entryId: r.entryId,
      regionCode: r.regionCode,
      legalBasis: r.legalBasis,
      watchlistId: r.watchlistId,
      photo:
        r.photoId && r.sealed
          ? {
              id: r.photoId,
              entryId: r.entryId,
              regionCode: r.regionCode,
              sealed: r.sealed,
              templateModel: r.templateModel ?? '',
            }
          : null,
    }));
  }

  async flag(m: EntityManager, entryId: string, regionCode: string, model: string): Promise<void> {
    await m.query(
      `INSERT INTO recognition.face_entries_needing_photo (entry_id, region_code, model) VALUES ($1, $2, $3)
       ON CONFLICT (entry_id) DO UPDATE SET model = EXCLUDED.model, flagged_at = now()`,
      [entryId, regionCode, model],
    );
  }

  async flagged(
    m: EntityManager,
    regions: readonly string[] | null,
    entryId: string,
  ): Promise<string | null> {
    const rows: { model: string }[] = await m.query(
      `SELECT model FROM recognition.face_entries_needing_photo
        WHERE entry_id = $1 AND ($2::text[] IS NULL OR region_code = ANY($2::text[]))`,
      [entryId, regions],
    );
    return rows[0]?.model ?? null;
  }
}
