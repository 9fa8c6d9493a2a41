import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { distanceMetresSql } from '@safecity/service-kit';
import { ENDED_STATES, OPEN_STATES } from '../lifecycle/state-machine';
import {
  INCIDENT_COLUMNS,
  SOURCE_COLUMNS,
  type HistoryEntry,
  type IncidentRecord,
  type SourceRecord,
} from './incident.model';

const NEAR_DISTANCE = distanceMetresSql({ lat: '$3', lon: '$4' }, { lat: 'lat', lon: 'lon' });

export interface NewIncident {
  regionCode: string;
  districtCode: string | null;
  category: number;
  priority: number;
  sourceKind: number;
  title: string;
  description: string;
  lat: number | null;
  lon: number | null;
  address: string;
  cameraId: string | null;
  correlationKey: string | null;
  occurredAt: Date;
  confidence: number | null;
  watchlistPriority: number | null;
  placeTags: string[];
  requiredConfirmations: number;
  visualCheckRequired: boolean;
  verifyDueAt: Date | null;
  dispatchDueAt: Date | null;
  operationsCenterId: string | null;
  openedBy: string;
}

export interface NewSource {
  kind: number;
  refId: string;
  regionCode: string;
  cameraId: string | null;
  watchlistId: string | null;
  watchlistEntryId: string | null;
  lat: number | null;
  lon: number | null;
  observedAt: Date | null;
  confidence: number | null;
  media: { kind: number; uri: string; contentType: string }[];
  details: Record<string, unknown>;
}

export interface IncidentFilter {
  states?: number[];
  categories?: number[];
  minPriority?: number;
  sourceKinds?: number[];
  /** What the caller's roles may see (see live/visibility.ts). */
  visibleKinds?: readonly number[];
  regionCode?: string;
  operationsCenterId?: string;
  createdFrom?: Date;
  createdTo?: Date;
  area?: { minLat: number; minLon: number; maxLat: number; maxLon: number };
}

export interface ListCursor {
  createdAt: string;
  id: string;
}

/** The shape of the incident list's cursor (`decodeCursor`). */
export const LIST_CURSOR = { createdAt: 'timestamp', id: 'uuid' } as const;

/**
 * SQL of incidents and their sources. Every method runs on the caller's transaction, which the
 * caller has scoped for row-level security; list queries add the region filter themselves too.
 */
@Injectable()
export class IncidentsRepository {
  async insert(m: EntityManager, draft: NewIncident): Promise<IncidentRecord> {
    const [row] = (await m.query(
      `INSERT INTO incidents (id, number, region_code, district_code, category, priority, state, source_kind, title,
         description, lat, lon, address, camera_id, correlation_key, last_seen_at, occurred_at, confidence,
         watchlist_priority, place_tags, required_confirmations, visual_check_required, verify_due_at,
         dispatch_due_at, operations_center_id, opened_by, sop_id, sop_version)
       SELECT $1::uuid, $2::text || '-' || to_char(now(), 'YYYY') || '-' || lpad(nextval('incident_number_seq')::text, 6, '0'),
         $2::text, $3::text, $4::int, $5::int, 1, $6::int, $7::text, $8::text, $9::float8, $10::float8, $11::text,
         $12::uuid, $13::text, $14::timestamptz, $14::timestamptz, $15::float8, $16::int, $17::text[], $18::int,
         $19::boolean, $20::timestamptz, $21::timestamptz, $22::uuid, $23::text,
         current_sop.id, current_sop.version
       -- The checklist in force when the incident opens stays its checklist, whatever edits follow:
       -- its region's latest version, or the national latest where the region has none.
       FROM (SELECT 1) AS one
       LEFT JOIN LATERAL (SELECT id, version FROM sops WHERE category = $4 AND (region_code = $2 OR region_code IS NULL)
                           ORDER BY region_code IS NULL, version DESC LIMIT 1) AS current_sop
         ON true
       RETURNING ${INCIDENT_COLUMNS}`,
      [
        randomUUID(),
        draft.regionCode,
        draft.districtCode,
        draft.category,
        draft.priority,
        draft.sourceKind,
        draft.title,
        draft.description,
        draft.lat,
        draft.lon,
        draft.address,
        draft.cameraId,
        draft.correlationKey,
        draft.occurredAt,
        draft.confidence,
        draft.watchlistPriority,
        draft.placeTags,
        draft.requiredConfirmations,
        draft.visualCheckRequired,
        draft.verifyDueAt,
        draft.dispatchDueAt,
        draft.operationsCenterId,
        draft.openedBy,
      ],
    )) as IncidentRecord[];
    return row;
  }

  /**
   * The open incident of a correlation key last seen at or after `since`, nearest to `near` and
   * within `radiusMeters` of it when those are given.
   */
  async findOpenByKey(
    m: EntityManager,
    key: string,
    since: Date,
    near?: { lat: number; lon: number; radiusMeters: number },
  ): Promise<IncidentRecord | null> {
    const rows = (await m.query(
      `SELECT ${INCIDENT_COLUMNS} FROM incidents
        -- States inline, not as a parameter: the partial index only serves a predicate it can prove.
        WHERE correlation_key = $1 AND state IN (${OPEN_STATES.join(', ')}) AND last_seen_at >= $2
          AND ($3::float8 IS NULL OR (lat IS NOT NULL AND ${NEAR_DISTANCE} <= $5))
        ORDER BY last_seen_at DESC LIMIT 1 FOR UPDATE`,
      [key, since, near?.lat ?? null, near?.lon ?? null, near?.radiusMeters ?? null],
    )) as IncidentRecord[];
    return rows[0] ?? null;
  }

  /** Adds a source; false when that match, alert or report is already evidence of an incident. */
  async addSource(m: EntityManager, incidentId: string, source: NewSource): Promise<boolean> {
    const rows: unknown[] = await m.query(
      `INSERT INTO incident_sources (kind, ref_id, incident_id, region_code, camera_id, watchlist_id,
         watchlist_entry_id, lat, lon, observed_at, confidence, media, details)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::jsonb, $13::jsonb)
       ON CONFLICT (kind, ref_id) DO NOTHING RETURNING 1`,
      [
        source.kind,
        source.refId,
        incidentId,
        source.regionCode,
        source.cameraId,
        source.watchlistId,
        source.watchlistEntryId,
        source.lat,
        source.lon,
        source.observedAt,
        source.confidence,
        JSON.stringify(source.media),
        JSON.stringify(source.details),
      ],
    );
    return rows.length > 0;
  }

  async sourceExists(m: EntityManager, kind: number, refId: string): Promise<string | null> {
    const rows = (await m.query(
      `SELECT incident_id AS "incidentId" FROM incident_sources WHERE kind = $1 AND ref_id = $2`,
      [kind, refId],
    )) as { incidentId: string }[];
    return rows[0]?.incidentId ?? null;
  }

  /** A new source joined: the incident was seen again, possibly with a higher priority. */
  async touch(m: EntityManager, id: string, seenAt: Date, priority: number): Promise<void> {
    await m.query(
      `UPDATE incidents SET last_seen_at = greatest(last_seen_at, $2), priority = greatest(priority, $3),
         updated_at = now(), version = version + 1
       WHERE id = $1`,
      [id, seenAt, priority],
    );
  }

  async findById(m: EntityManager, id: string, forUpdate = false): Promise<IncidentRecord | null> {
    const rows = (await m.query(
      `SELECT ${INCIDENT_COLUMNS} FROM incidents WHERE id = $1 ${forUpdate ? 'FOR UPDATE' : ''}`,
      [id],
    )) as IncidentRecord[];
    return rows[0] ?? null;
  }

  async findByIds(m: EntityManager, ids: readonly string[]): Promise<IncidentRecord[]> {
    if (ids.length === 0) return [];
    return (await m.query(`SELECT ${INCIDENT_COLUMNS} FROM incidents WHERE id = ANY($1::uuid[])`, [
      [...ids],
    ])) as IncidentRecord[];
  }

  /** Sources of each incident, in the order they were observed (a plate's trajectory). */
  async sourcesOf(m: EntityManager, ids: readonly string[]): Promise<Map<string, SourceRecord[]>> {
    const map = new Map<string, SourceRecord[]>(ids.map((id) => [id, []]));
    if (ids.length === 0) return map;
    const rows = (await m.query(
      `SELECT ${SOURCE_COLUMNS} FROM incident_sources WHERE incident_id = ANY($1::uuid[])
        ORDER BY observed_at NULLS LAST, added_at`,
      [[...ids]],
    )) as SourceRecord[];
    for (const row of rows) map.get(row.incidentId)?.push(row);
    return map;
  }

  async applyTransition(
    m: EntityManager,
    id: string,
    to: number,
    resolution: number,
    changes: { unitId?: string | null; assignedAt?: Date } = {},
  ): Promise<IncidentRecord> {
    const [rows] = (await m.query(
      // Retention runs from when an incident ended; a reopened one has not ended.
      `UPDATE incidents SET state = $2, resolution = $3, updated_at = now(), version = version + 1,
         unit_id = CASE WHEN $4::boolean THEN $5::uuid ELSE unit_id END,
         assigned_at = CASE WHEN $4::boolean THEN now() ELSE assigned_at END,
         ended_at = CASE WHEN $2 IN (${ENDED_STATES.join(', ')}) THEN now() END
       WHERE id = $1 RETURNING ${INCIDENT_COLUMNS}`,
      [id, to, resolution, changes.unitId !== undefined, changes.unitId ?? null],
    )) as [IncidentRecord[], number];
    return rows[0];
  }

  /** The operator and operations center now responsible; `assigned_at` is the handover. */
  async reassign(
    m: EntityManager,
    id: string,
    next: { assigneeId: string | null; operationsCenterId: string | null },
  ): Promise<IncidentRecord> {
    const [rows] = (await m.query(
      `UPDATE incidents SET assignee_id = $2, operations_center_id = $3::uuid, assigned_at = now(),
         updated_at = now(), version = version + 1
       WHERE id = $1 RETURNING ${INCIDENT_COLUMNS}`,
      [id, next.assigneeId, next.operationsCenterId],
    )) as [IncidentRecord[], number];
    return rows[0];
  }

  async bumpVersion(m: EntityManager, id: string): Promise<IncidentRecord> {
    const [rows] = (await m.query(
      `UPDATE incidents SET updated_at = now(), version = version + 1 WHERE id = $1 RETURNING ${INCIDENT_COLUMNS}`,
      [id],
    )) as [IncidentRecord[], number];
    return rows[0];
  }

  async recordHistory(
    m: EntityManager,
    entry: {
      incidentId: string;
      regionCode: string;
      from: number;
      to: number;
      actorSubject: string;
      actorKind: string;
      reason: string;
      resolution: number;
    },
  ): Promise<void> {
    await m.query(
      `INSERT INTO incident_history (incident_id, region_code, from_state, to_state, actor_subject, actor_kind, reason,
         resolution) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        entry.incidentId,
        entry.regionCode,
        entry.from,
        entry.to,
        entry.actorSubject,
        entry.actorKind,
        entry.reason,
        entry.resolution,
      ],
    );
  }

  async history(m: EntityManager, id: string): Promise<HistoryEntry[]> {
    return (await m.query(
      `SELECT from_state AS "from", to_state AS "to", actor_subject AS "actor", actor_kind AS "actorKind", reason,
         resolution, at FROM incident_history WHERE incident_id = $1 ORDER BY id`,
      [id],
    )) as HistoryEntry[];
  }

  async confirmations(m: EntityManager, id: string) {
    return (await m.query(
      `SELECT actor_subject AS "actor", observed_plate AS "plate", observed_make AS "make",
         observed_colour AS "colour", vehicle_mismatch AS "vehicleMismatch", comment, confirmed_at AS "confirmedAt"
       FROM incident_confirmations WHERE incident_id = $1 ORDER BY confirmed_at`,
      [id],
    )) as {
      actor: string;
      plate: string | null;
      make: string | null;
      colour: string | null;
      /** Where the vehicle seen differs from the camera's reading (verified with a reason). */
      vehicleMismatch: string[];
      comment: string;
      confirmedAt: Date;
    }[];
  }

  async addConfirmation(
    m: EntityManager,
    incident: IncidentRecord,
    actor: string,
    check: { plate?: string; make?: string; colour?: string; comment?: string; vehicleMismatch?: string[] },
  ): Promise<void> {
    await m.query(
      `INSERT INTO incident_confirmations (incident_id, actor_subject, region_code, observed_plate, observed_make,
         observed_colour, comment, vehicle_mismatch) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
      [
        incident.id,
        actor,
        incident.regionCode,
        check.plate ?? null,
        check.make ?? null,
        check.colour ?? null,
        check.comment ?? '',
        check.vehicleMismatch ?? [],
      ],
    );
  }

  /** Newest first, keyset-paginated on (created_at, id); the region filter is in the query. */
  async list(
    m: EntityManager,
    filter: IncidentFilter,
    regions: readonly string[] | null,
    limit: number,
    after?: ListCursor,
  ): Promise<IncidentRecord[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (clause: (p: string) => string, value: unknown) => {
      params.push(value);
      where.push(clause(`$${params.length}`));
    };
    if (regions) add((p) => `region_code = ANY(${p}::text[])`, [...regions]);
    if (filter.regionCode) add((p) => `region_code = ${p}`, filter.regionCode);
    if (filter.states?.length) add((p) => `state = ANY(${p}::int[])`, filter.states);
    if (filter.categories?.length) add((p) => `category = ANY(${p}::int[])`, filter.categories);
    if (filter.sourceKinds?.length) add((p) => `source_kind = ANY(${p}::int[])`, filter.sourceKinds);
    if (filter.visibleKinds) add((p) => `source_kind = ANY(${p}::int[])`, [...filter.visibleKinds]);
    if (filter.minPriority) add((p) => `priority >= ${p}`, filter.minPriority);
    if (filter.operationsCenterId) add((p) => `operations_center_id = ${p}`, filter.operationsCenterId);
    if (filter.createdFrom) add((p) => `created_at >= ${p}`, filter.createdFrom);
    if (filter.createdTo) add((p) => `created_at < ${p}`, filter.createdTo);
    if (filter.area) {
      add((p) => `lat >= ${p}`, filter.area.minLat);
      add((p) => `lat <= ${p}`, filter.area.maxLat);
      add((p) => `lon >= ${p}`, filter.area.minLon);
      add((p) => `lon <= ${p}`, filter.area.maxLon);
    }
    if (after) {
      params.push(after.createdAt, after.id);
      where.push(`(created_at, id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    params.push(limit);
    return (await m.query(
      `SELECT ${INCIDENT_COLUMNS} FROM incidents ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY created_at DESC, id DESC LIMIT $${params.length}`,
      params,
    )) as IncidentRecord[];
  }
}
