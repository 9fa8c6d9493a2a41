import { Injectable } from '@nestjs/common';
import { preparedQuery } from '@safecity/persistence';
import type { EntityManager } from 'typeorm';
import type { PlaceOfCamera } from '../camera-directory/camera-directory.repository';
import { INCIDENT_COLUMNS, type IncidentRecord } from '../incidents/incident.model';
import type { NewIncident, NewSource } from '../incidents/incidents.repository';
import { OPEN_STATES } from '../lifecycle/state-machine';

/** An open incident a source of the batch may join. */
export interface OpenIncident {
  id: string;
  correlationKey: string;
  lastSeenAt: Date;
  lat: number | null;
  lon: number | null;
}

const OPEN = OPEN_STATES.join(', ');

/**
 * The correlator's statements: a batch of matches, alerts and outages costs three round trips
 * whatever its size — lock the keys, read what the batch may join, write what it changed (plus
 * reading the joined incidents' evidence when it joined any, and a lookup per source whose type
 * correlates by distance). Reads that depend on the locks are a statement of their own: a
 * statement reads the snapshot taken when it started, so it would not see what the holder of a
 * lock committed while it waited.
 */
@Injectable()
export class CorrelationRepository {
  /**
   * Locks the correlation keys (in the given order, the same in every transaction, so batches
   * cannot deadlock) and returns where the cameras are, which no lock protects.
   */
  async lockKeysAndFindPlaces(
    m: EntityManager,
    keys: readonly string[],
    cameraIds: readonly string[],
  ): Promise<Map<string, PlaceOfCamera>> {
    // Both are scalar subqueries of a one-row select, so each runs exactly once, whatever the
    // other returns.
    const [row] = (await preparedQuery(
      m,
      `SELECT (SELECT count(pg_advisory_xact_lock(hashtext('correlation:' || k))) FROM unnest($1::text[]) AS k)
                AS locked,
              (SELECT coalesce(json_agg(json_build_object('id', id, 'regionCode', region_code,
                        'districtCode', district_code, 'address', address, 'lat', lat, 'lon', lon, 'tags', tags)), '[]')
                 FROM camera_directory WHERE id = ANY($2::uuid[])) AS places`,
      [keys, [...new Set(cameraIds)]],
    )) as { locked: string; places: PlaceOfCamera[] }[];
    return new Map(row.places.map((place) => [place.id, place]));
  }

  /**
   * After the locks: which sources of the batch are evidence already (`kind:ref` -> incident id),
   * and the most recently seen open incident of each of `keys`, locked against concurrent
   * lifecycle steps (a dismissal between this read and the join would otherwise be lost).
   */
  async evidenceAndOpenIncidents(
    m: EntityManager,
    sources: readonly { kind: number; refId: string }[],
    keys: readonly string[],
  ): Promise<{ existing: Map<string, string>; open: Map<string, OpenIncident> }> {
    const rows = (await preparedQuery(
      m,
      `WITH open AS (
         SELECT id, correlation_key, last_seen_at, lat, lon FROM incidents
          WHERE id = ANY(ARRAY(
                  SELECT DISTINCT ON (correlation_key) id FROM incidents
                   -- States inline, not as a parameter: the partial index only serves a predicate it can prove.
                   WHERE correlation_key = ANY($3::text[]) AND state IN (${OPEN})
                   ORDER BY correlation_key, last_seen_at DESC))
            -- Checked again on the locked row: it may have been closed while this waited.
            AND state IN (${OPEN})
          FOR UPDATE)
       SELECT s.kind, s.ref_id AS "refId", s.incident_id AS "incidentId", NULL::text AS "correlationKey",
              NULL::timestamptz AS "lastSeenAt", NULL::float8 AS lat, NULL::float8 AS lon
         FROM incident_sources s JOIN unnest($1::int[], $2::text[]) AS b(kind, ref_id)
           ON s.kind = b.kind AND s.ref_id = b.ref_id
       UNION ALL
       SELECT NULL, NULL, id, correlation_key, last_seen_at, lat, lon FROM open`,
      [sources.map((s) => s.kind), sources.map((s) => s.refId), keys],
    )) as {
      kind: number | null;
      refId: string | null;
      incidentId: string;
      correlationKey: string | null;
      lastSeenAt: Date | null;
      lat: number | null;
      lon: number | null;
    }[];
    const existing = new Map<string, string>();
    const open = new Map<string, OpenIncident>();
    for (const row of rows) {
      if (row.correlationKey === null) existing.set(`${row.kind}:${row.refId}`, row.incidentId);
      else
        open.set(row.correlationKey, {
          id: row.incidentId,
          correlationKey: row.correlationKey,
          lastSeenAt: row.lastSeenAt!,
          lat: row.lat,
          lon: row.lon,
        });
    }
    return { existing, open };
  }

  /**
   * Writes the batch in one statement: the new incidents, every source as evidence (a source
   * already recorded is left as it is), and the incidents sources joined seen again, possibly at
   * a higher priority. Returns the new incidents and the joined ones as they are now.
   */
  async write(
    m: EntityManager,
    drafts: readonly (NewIncident & { id: string })[],
    sources: readonly (NewSource & { incidentId: string })[],
    touches: readonly { id: string; seenAt: Date; priority: number }[],
  ): Promise<{ created: IncidentRecord[]; touched: IncidentRecord[] }> {
    if (drafts.length === 0 && sources.length === 0 && touches.length === 0) {
      return { created: [], touched: [] };
    }
    // Evidence rows reference incidents inserted by the same statement: foreign keys are checked
    // at its end, when those rows exist.
    const rows = (await preparedQuery(
      m,
      `WITH created AS (
         INSERT INTO incidents (id, number, region_code, district_code, category, priority, state, source_kind, title,
           description, lat, lon, address, camera_id, correlation_key, last_seen_at, occurred_at, confidence,
           watchlist_priority, place_tags, required_confirmations, visual_check_required, verify_due_at,
           dispatch_due_at, operations_center_id, opened_by, sop_id, sop_version)
         SELECT r.id, r.region_code || '-' || to_char(now(), 'YYYY') || '-' || lpad(nextval('incident_number_seq')::text, 6, '0'),
           r.region_code, r.district_code, r.category, r.priority, 1, r.source_kind, r.title, r.description, r.lat, r.lon,
           r.address, r.camera_id, r.correlation_key, r.occurred_at, r.occurred_at, r.confidence, r.watchlist_priority,
           ARRAY(SELECT jsonb_array_elements_text(r.place_tags)), r.required_confirmations, r.visual_check_required,
           r.verify_due_at, r.dispatch_due_at, r.operations_center_id, r.opened_by, sop.id, sop.version
         FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, region_code text, district_code text,
                category int, priority int, source_kind int, title text, description text, lat float8, lon float8,
                address text, camera_id uuid, correlation_key text, occurred_at timestamptz, confidence float8,
                watchlist_priority int, place_tags jsonb, required_confirmations int, visual_check_required boolean,
                verify_due_at timestamptz, dispatch_due_at timestamptz, operations_center_id uuid, opened_by text)
         -- The checklist in force when the incident opens stays its checklist, whatever edits follow:
         -- its region's latest version, or the national latest where the region has none.
         LEFT JOIN LATERAL (SELECT id, version FROM sops
                             WHERE category = r.category AND (region_code = r.region_code OR region_code IS NULL)
                             ORDER BY region_code IS NULL, version DESC LIMIT 1) AS sop
           ON true
         RETURNING ${INCIDENT_COLUMNS}),
       evidence AS (
         INSERT INTO incident_sources (kind, ref_id, incident_id, region_code, camera_id, watchlist_id,
           watchlist_entry_id, lat, lon, observed_at, confidence, media, details)
         SELECT r.kind, r.ref_id, r.incident_id, r.region_code, r.camera_id, r.watchlist_id, r.watchlist_entry_id,
                r.lat, r.lon, r.observed_at, r.confidence, coalesce(r.media, '[]'), coalesce(r.details, '{}')
           FROM jsonb_to_recordset($2::jsonb) AS r(kind int, ref_id text, incident_id uuid, region_code text,
                camera_id uuid, watchlist_id text, watchlist_entry_id text, lat float8, lon float8,
                observed_at timestamptz, confidence float8, media jsonb, details jsonb)
         ON CONFLICT (kind, ref_id) DO NOTHING),
       touched AS (
         UPDATE incidents i SET last_seen_at = greatest(i.last_seen_at, t.seen),
                priority = greatest(i.priority, t.raised), updated_at = now(), version = i.version + 1
           -- A recordset like the other two: an array's length would be estimated from its value,
           -- making each call's custom plan look cheaper than the cached generic one.
           FROM jsonb_to_recordset($3::jsonb) AS t(touched_id uuid, seen timestamptz, raised int)
          WHERE i.id = t.touched_id
         RETURNING ${INCIDENT_COLUMNS})
       SELECT true AS "isNew", * FROM created
       UNION ALL
       SELECT false, * FROM touched`,
      [
        JSON.stringify(
          drafts.map((d) => ({
            id: d.id,
            region_code: d.regionCode,
            district_code: d.districtCode,
            category: d.category,
            priority: d.priority,
            source_kind: d.sourceKind,
            title: d.title,
            description: d.description,
            lat: d.lat,
            lon: d.lon,
            address: d.address,
            camera_id: d.cameraId,
            correlation_key: d.correlationKey,
            occurred_at: d.occurredAt,
            confidence: d.confidence,
            watchlist_priority: d.watchlistPriority,
            place_tags: d.placeTags,
            required_confirmations: d.requiredConfirmations,
            visual_check_required: d.visualCheckRequired,
            verify_due_at: d.verifyDueAt,
            dispatch_due_at: d.dispatchDueAt,
            operations_center_id: d.operationsCenterId,
            opened_by: d.openedBy,
          })),
        ),
        JSON.stringify(
          sources.map((s) => ({
            kind: s.kind,
            ref_id: s.refId,
            incident_id: s.incidentId,
            region_code: s.regionCode,
            camera_id: s.cameraId,
            watchlist_id: s.watchlistId,
            watchlist_entry_id: s.watchlistEntryId,
            lat: s.lat,
            lon: s.lon,
            observed_at: s.observedAt,
            confidence: s.confidence,
            media: s.media,
            details: s.details,
          })),
        ),
        JSON.stringify(touches.map((t) => ({ touched_id: t.id, seen: t.seenAt, raised: t.priority }))),
      ],
    )) as (IncidentRecord & { isNew: boolean })[];
    const created: IncidentRecord[] = [];
    const touched: IncidentRecord[] = [];
    for (const { isNew, ...incident } of rows) (isNew ? created : touched).push(incident);
    return { created, touched };
  }
}
