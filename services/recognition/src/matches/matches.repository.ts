import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { MatchKindName, MatchStatusName, Verdict } from './match-verification';

export interface MatchRow {
  id: string;
  kind: MatchKindName;
  detectionId: string;
  cameraId: string;
  videoSystemId: string;
  regionCode: string;
  observedAt: Date;
  matchedAt: Date;
  status: MatchStatusName;
  requiredConfirmations: number;
  confirmations: number;
  watchlistIds: string[];
  entryIds: string[];
  /** The PlateMatch or FaceMatch as raised, protobuf-encoded; status and verifications live in columns. */
  detail: Buffer;
}

export interface VerificationRow {
  matchId: string;
  actorSubject: string;
  actorKind: string;
  actorName: string | null;
  verdict: Verdict;
  plateChecked: boolean;
  vehicleChecked: boolean;
  comment: string;
  verifiedAt: Date;
}

export interface MatchFilter {
  regions: readonly string[] | null;
  regionCode?: string;
  kind?: MatchKindName;
  statuses?: readonly MatchStatusName[];
  cameraId?: string;
  observedFrom?: Date;
  observedTo?: Date;
  after?: { matchedAt: string; id: string };
  limit: number;
}

const COLUMNS = `id, kind, detection_id AS "detectionId", camera_id AS "cameraId", video_system_id AS "videoSystemId",
  region_code AS "regionCode", observed_at AS "observedAt", matched_at AS "matchedAt", status,
  required_confirmations AS "requiredConfirmations", confirmations, watchlist_ids AS "watchlistIds",
  entry_ids AS "entryIds", detail`;

const VERIFICATION_COLUMNS = `match_id AS "matchId", actor_subject AS "actorSubject", actor_kind AS "actorKind",
  actor_name AS "actorName", verdict, plate_checked AS "plateChecked", vehicle_checked AS "vehicleChecked",
  comment, verified_at AS "verifiedAt"`;

@Injectable()
export class MatchesRepository {
  /** False when the match already exists (its detection was analysed before). */
  async insert(m: EntityManager, row: Omit<MatchRow, 'confirmations'>): Promise<boolean> {
    const inserted: unknown[] = await m.query(
      `INSERT INTO matches (id, kind, detection_id, camera_id, video_system_id, region_code, observed_at, matched_at,
         status, required_confirmations, watchlist_ids, entry_ids, detail)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
       ON CONFLICT (id) DO NOTHING RETURNING 1`,
      [
        row.id,
        row.kind,
        row.detectionId,
        row.cameraId,
        row.videoSystemId,
        row.regionCode,
        row.observedAt,
        row.matchedAt,
        row.status,
        row.requiredConfirmations,
        row.watchlistIds,
        row.entryIds,
        row.detail,
      ],
    );
    return inserted.length > 0;
  }

  async find(
    m: EntityManager,
    regions: readonly string[] | null,
    id: string,
    lock = false,
  ): Promise<MatchRow | null> {
    const rows: MatchRow[] = await m.query(
      `SELECT ${COLUMNS} FROM matches WHERE id = $1 AND ($2::text[] IS NULL OR region_code = ANY($2::text[]))
       ${lock ? 'FOR UPDATE' : ''}`,
      [id, regions],
    );
    return rows[0] ?? null;
  }

  async list(m: EntityManager, f: MatchFilter): Promise<MatchRow[]> {
    return m.query(
      `SELECT ${COLUMNS} FROM matches
       WHERE ($1::text[] IS NULL OR region_code = ANY($1::text[]))
         AND ($2::text IS NULL OR region_code = $2)
         AND ($3::text IS NULL OR kind = $3)
         AND ($4::text[] IS NULL OR status = ANY($4::text[]))
         AND ($5::uuid IS NULL OR camera_id = $5)
         AND ($6::timestamptz IS NULL OR observed_at >= $6)
         AND ($7::timestamptz IS NULL OR observed_at < $7)
         AND ($8::timestamptz IS NULL OR (matched_at, id) < ($8::timestamptz, $9::uuid))
       ORDER BY matched_at DESC, id DESC LIMIT $10`,
      [
        f.regions,
        f.regionCode ?? null,
        f.kind ?? null,
        f.statuses && f.statuses.length > 0 ? f.statuses : null,
        f.cameraId ?? null,
        f.observedFrom ?? null,
        f.observedTo ?? null,
        f.after?.matchedAt ?? null,
        f.after?.id ?? null,
        f.limit,
      ],
    );
  }

  async verifications(m: EntityManager, matchIds: readonly string[]): Promise<VerificationRow[]> {
    if (matchIds.length === 0) return [];
    return m.query(
      `SELECT ${VERIFICATION_COLUMNS} FROM match_verifications WHERE match_id = ANY($1::uuid[]) ORDER BY verified_at`,
      [matchIds],
    );
  }

  /** False when this person had already verified the match (a concurrent request of theirs won). */
  async addVerification(m: EntityManager, regionCode: string, v: Omit<VerificationRow, 'verifiedAt'>) {
    const rows: VerificationRow[] = await m.query(
      `INSERT INTO match_verifications (match_id, region_code, actor_subject, actor_kind, actor_name, verdict,
         plate_checked, vehicle_checked, comment)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING RETURNING ${VERIFICATION_COLUMNS}`,
      [
        v.matchId,
        regionCode,
        v.actorSubject,
        v.actorKind,
        v.actorName,
        v.verdict,
        v.plateChecked,
        v.vehicleChecked,
        v.comment,
      ],
    );
    return rows[0] ?? null;
  }

  async setStatus(
    m: EntityManager,
    id: string,
    status: MatchStatusName,
    confirmations: number,
  ): Promise<void> {
    await m.query(`UPDATE matches SET status = $2, confirmations = $3, updated_at = now() WHERE id = $1`, [
      id,
      status,
      confirmations,
    ]);
  }
}
