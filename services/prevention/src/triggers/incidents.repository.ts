import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** What prevention keeps of an incident: where, when and what kind; no text, no people. */
export interface IncidentFacts {
  id: string;
  regionCode: string;
  districtCode: string | null;
  category: number;
  state: number;
  occurredAt: Date;
  lat: number | null;
  lon: number | null;
  /** The incident's own address, or else the first its sources name (a citizen report's). */
  addressKey: string | null;
  version: number;
  /**
   * A person stands behind it: an operator verified or opened it, or a citizen reported it. A
   * machine match nobody has verified yet is not confirmed.
   */
  confirmed: boolean;
}

export interface CaseAtPlace {
  id: string;
  regionCode: string;
  number: string;
  status: string;
  legalBasis: string;
  subjectKind: string;
  subjectAddressKey: string | null;
  lat: number | null;
  lon: number | null;
}

export interface Suggestion {
  id: string;
  regionCode: string;
  districtCode: string | null;
  ruleId: string;
  address: string | null;
  addressKey: string;
  incidentIds: string[];
  status: 'pending' | 'accepted' | 'dismissed';
  firedAt: Date;
  decidedBy: string | null;
  decidedAt: Date | null;
  decisionNote: string | null;
  caseId: string | null;
}

const SUGGESTION_COLUMNS = `id, region_code AS "regionCode", district_code AS "districtCode", rule_id AS "ruleId", address,
  address_key AS "addressKey", incident_ids AS "incidentIds", status, fired_at AS "firedAt", decided_by AS "decidedBy",
  decided_at AS "decidedAt", decision_note AS "decisionNote", case_id AS "caseId"`;

/** The incident read model, the places of open cases, and suggestions: SQL only. */
@Injectable()
export class IncidentsRepository {
  /** Stores the incident unless a newer version is already here; true when stored. */
  async upsert(m: EntityManager, i: IncidentFacts): Promise<boolean> {
    const rows = (await m.query(
      `INSERT INTO incidents (id, region_code, district_code, category, state, occurred_at, lat, lon, address_key, version,
         confirmed)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (id) DO UPDATE SET region_code = EXCLUDED.region_code, district_code = EXCLUDED.district_code,
         category = EXCLUDED.category, state = EXCLUDED.state, occurred_at = EXCLUDED.occurred_at, lat = EXCLUDED.lat,
         lon = EXCLUDED.lon, address_key = EXCLUDED.address_key, version = EXCLUDED.version,
         confirmed = incidents.confirmed OR EXCLUDED.confirmed
       WHERE incidents.version < EXCLUDED.version
       RETURNING 1`,
      [
        i.id,
        i.regionCode,
        i.districtCode,
        i.category,
        i.state,
        i.occurredAt,
        i.lat,
        i.lon,
        i.addressKey,
        i.version,
        i.confirmed,
      ],
    )) as unknown[];
    return rows.length > 0;
  }

  /**
   * Cases not yet closed whose subject is registered at one of the address keys, or whose place
   * lies in the small box around the point (the caller checks the exact distance).
   */
  casesAtPlace(
    m: EntityManager,
    regionCode: string,
    keys: readonly string[],
    point: { lat: number; lon: number } | null,
  ): Promise<CaseAtPlace[]> {
    return m.query(
      `SELECT c.id, c.region_code AS "regionCode", c.number, c.status, c.legal_basis AS "legalBasis",
              s.kind AS "subjectKind", s.address_key AS "subjectAddressKey", s.lat, s.lon
       FROM cases c JOIN subjects s ON s.id = c.subject_id
       WHERE c.region_code = $1 AND c.status <> 'closed' AND s.erased_at IS NULL
         AND (s.address_key = ANY($2::text[])
           OR ($3::float8 IS NOT NULL AND s.kind IN ('place', 'organization') AND s.lat IS NOT NULL
               AND abs(s.lat - $3) < 0.001 AND abs(s.lon - $4) < 0.0015))`,
      [regionCode, [...keys], point?.lat ?? null, point?.lon ?? null],
    );
  }

  /**
   * Holds the repeat rule of each address to this transaction: incidents at one address consumed
   * at once (from different partitions, or verified after one another) are then counted one
   * transaction after the other, each seeing the others. Locks are taken in one order, so two
   * batches never wait on each other in a circle.
   */
  async lockAddresses(m: EntityManager, regionAddressKeys: string[]): Promise<void> {
    if (regionAddressKeys.length === 0) return;
    await m.query(
      `SELECT count(pg_advisory_xact_lock(hashtext('prevention:repeat:' || k)))
         FROM (SELECT DISTINCT k FROM unnest($1::text[]) AS k ORDER BY k) AS sorted`,
      [regionAddressKeys],
    );
  }

  /** Links the incident to the case; false when it already was. */
  async link(
    m: EntityManager,
    caseId: string,
    incident: Pick<IncidentFacts, 'id' | 'regionCode' | 'occurredAt'>,
  ) {
    const rows = (await m.query(
      `INSERT INTO case_incidents (case_id, incident_id, region_code, occurred_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT DO NOTHING RETURNING 1`,
      [caseId, incident.id, incident.regionCode, incident.occurredAt],
    )) as unknown[];
    return rows.length > 0;
  }

  async flagReview(m: EntityManager, caseId: string, reason: string): Promise<void> {
    await m.query(
      `UPDATE cases SET review_flagged_at = COALESCE(review_flagged_at, now()), review_flag_reason = $2,
         updated_at = now(), version = version + 1 WHERE id = $1`,
      [caseId, reason],
    );
  }

  /** Confirmed incidents (not dismissed) at the address in (from, to], oldest first. */
  incidentsAtAddress(
    m: EntityManager,
    regionCode: string,
    key: string,
    from: Date,
    to: Date,
    dismissedState: number,
  ): Promise<{ id: string; occurredAt: Date; category: number; districtCode: string | null }[]> {
    return m.query(
      `SELECT id, occurred_at AS "occurredAt", category, district_code AS "districtCode" FROM incidents
       WHERE region_code = $1 AND address_key = $2 AND occurred_at > $3 AND occurred_at <= $4 AND state <> $5
         AND confirmed
       ORDER BY occurred_at, id`,
      [regionCode, key, from, to, dismissedState],
    );
  }

  async lastDismissal(m: EntityManager, regionCode: string, key: string): Promise<Date | null> {
    const [row] = (await m.query(
      `SELECT max(decided_at) AS at FROM suggestions WHERE region_code = $1 AND address_key = $2 AND status = 'dismissed'`,
      [regionCode, key],
    )) as { at: Date | null }[];
    return row?.at ?? null;
  }

  async pendingSuggestion(m: EntityManager, regionCode: string, key: string): Promise<Suggestion | null> {
    const rows = (await m.query(
      `SELECT ${SUGGESTION_COLUMNS} FROM suggestions WHERE region_code = $1 AND address_key = $2 AND status = 'pending'
       FOR UPDATE`,
      [regionCode, key],
    )) as Suggestion[];
    return rows[0] ?? null;
  }

  async addToSuggestion(m: EntityManager, id: string, incidentId: string): Promise<void> {
    await m.query(
      `UPDATE suggestions SET incident_ids = array_append(incident_ids, $2)
       WHERE id = $1 AND NOT ($2 = ANY(incident_ids))`,
      [id, incidentId],
    );
  }

  async insertSuggestion(
    m: EntityManager,
    s: Pick<Suggestion, 'regionCode' | 'districtCode' | 'ruleId' | 'address' | 'addressKey' | 'incidentIds'>,
  ): Promise<Suggestion> {
    const [row] = (await m.query(
      `INSERT INTO suggestions (region_code, district_code, rule_id, address, address_key, incident_ids)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${SUGGESTION_COLUMNS}`,
      [s.regionCode, s.districtCode, s.ruleId, s.address, s.addressKey, s.incidentIds],
    )) as Suggestion[];
    return row;
  }

  async findSuggestion(m: EntityManager, id: string, regions: string[] | null): Promise<Suggestion | null> {
    const rows = (await m.query(
      `SELECT ${SUGGESTION_COLUMNS} FROM suggestions WHERE id = $1 AND ($2::text[] IS NULL OR region_code = ANY($2))
       FOR UPDATE`,
      [id, regions],
    )) as Suggestion[];
    return rows[0] ?? null;
  }

  listSuggestions(
    m: EntityManager,
    regions: string[] | null,
    filter: { regionCode?: string; status?: string },
  ): Promise<Suggestion[]> {
    return m.query(
      `SELECT ${SUGGESTION_COLUMNS} FROM suggestions
       WHERE ($1::text[] IS NULL OR region_code = ANY($1)) AND ($2::text IS NULL OR region_code = $2)
         AND ($3::text IS NULL OR status = $3)
       ORDER BY fired_at DESC LIMIT 500`,
      [regions, filter.regionCode ?? null, filter.status ?? null],
    );
  }

  async decide(
    m: EntityManager,
    id: string,
    decision: { status: 'accepted' | 'dismissed'; by: string; note: string | null; caseId: string | null },
  ): Promise<void> {
    await m.query(
      `UPDATE suggestions SET status = $2, decided_by = $3, decided_at = now(), decision_note = $4, case_id = $5
       WHERE id = $1`,
      [id, decision.status, decision.by, decision.note, decision.caseId],
    );
  }

  async incidentTimes(
    m: EntityManager,
    ids: string[],
  ): Promise<{ id: string; occurredAt: Date; regionCode: string }[]> {
    return m.query(
      `SELECT id, occurred_at AS "occurredAt", region_code AS "regionCode" FROM incidents WHERE id = ANY($1::text[])`,
      [ids],
    );
  }

  async settings(
    m: EntityManager,
    regionCode: string,
  ): Promise<{ windowDays: number; threshold: number } | null> {
    const [row] = (await m.query(
      `SELECT repeat_window_days AS "windowDays", repeat_threshold AS threshold FROM trigger_settings WHERE region_code = $1`,
      [regionCode],
    )) as { windowDays: number; threshold: number }[];
    return row ?? null;
  }

  async saveSettings(
    m: EntityManager,
    regionCode: string,
    windowDays: number,
    threshold: number,
    by: string,
  ) {
    await m.query(
      `INSERT INTO trigger_settings (region_code, repeat_window_days, repeat_threshold, updated_by) VALUES ($1, $2, $3, $4)
       ON CONFLICT (region_code) DO UPDATE SET repeat_window_days = $2, repeat_threshold = $3, updated_by = $4,
         updated_at = now()`,
      [regionCode, windowDays, threshold, by],
    );
  }
}
