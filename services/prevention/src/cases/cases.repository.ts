import { Injectable } from '@nestjs/common';
import type { RegionScope } from '@safecity/security';
import type { EntityManager } from 'typeorm';
import type {
  CaseStatus,
  Category,
  MeasureKind,
  MeasureStatus,
  Outcome,
  RiskLevel,
  SubjectKind,
} from '../domain/vocabulary';
import { RegionAccess } from '@safecity/security';

export interface SubjectRow {
  id: string;
  regionCode: string;
  kind: SubjectKind;
  name: string | null;
  identifier: string | null;
  birthDate: string | null;
  address: string | null;
  addressKey: string | null;
  lat: number | null;
  lon: number | null;
  notes: string | null;
  erasedAt: Date | null;
}

export interface CaseRow {
  id: string;
  number: string;
  regionCode: string;
  districtCode: string | null;
  subjectId: string;
  category: Category;
  legalBasis: string;
  riskLevel: RiskLevel | null;
  riskRationale: string | null;
  riskAssessedBy: string | null;
  riskAssessedAt: Date | null;
  ownerAgency: string;
  responsibleOfficer: string;
  agencies: string[];
  status: CaseStatus;
  outcome: Outcome | null;
  reviewIntervalDays: number;
  nextReviewAt: Date;
  reviewFlaggedAt: Date | null;
  reviewFlagReason: string | null;
  triggeredAt: Date | null;
  suggestionId: string | null;
  openedBy: string;
  openedAt: Date;
  closedAt: Date | null;
  updatedAt: Date;
  version: number;
}

export interface MeasureRow {
  id: string;
  caseId: string;
  regionCode: string;
  kind: MeasureKind;
  status: MeasureStatus;
  agencyCode: string;
  assigneeId: string;
  description: string | null;
  dueAt: Date;
  completedAt: Date | null;
  result: string | null;
  createdBy: string;
  createdAt: Date;
}

export interface RiskFactorRow {
  code: string;
  weight: RiskLevel;
  sourceIncidentId: string | null;
  identifiedAt: Date;
}

export interface CaseDetails {
  row: CaseRow;
  subject: SubjectRow;
  riskFactors: RiskFactorRow[];
  measures: MeasureRow[];
  linkedIncidentIds: string[];
}

const CASE_COLUMNS = `c.id, c.number, c.region_code AS "regionCode", c.district_code AS "districtCode",
  c.subject_id AS "subjectId", c.category, c.legal_basis AS "legalBasis", c.risk_level AS "riskLevel",
  c.risk_rationale AS "riskRationale", c.risk_assessed_by AS "riskAssessedBy", c.risk_assessed_at AS "riskAssessedAt",
  c.owner_agency AS "ownerAgency", c.responsible_officer AS "responsibleOfficer", c.agencies, c.status, c.outcome,
  c.review_interval_days AS "reviewIntervalDays", c.next_review_at AS "nextReviewAt",
  c.review_flagged_at AS "reviewFlaggedAt", c.review_flag_reason AS "reviewFlagReason",
  c.triggered_at AS "triggeredAt", c.suggestion_id AS "suggestionId", c.opened_by AS "openedBy",
  c.opened_at AS "openedAt", c.closed_at AS "closedAt", c.updated_at AS "updatedAt", c.version::int AS version`;

const SUBJECT_COLUMNS = `id, region_code AS "regionCode", kind, name, identifier, birth_date::text AS "birthDate",
  address, address_key AS "addressKey", lat, lon, notes, erased_at AS "erasedAt"`;

const measureColumns = (a: string) => `${a}.id, ${a}.case_id AS "caseId", ${a}.region_code AS "regionCode",
  ${a}.kind, ${a}.status, ${a}.agency_code AS "agencyCode", ${a}.assignee_id AS "assigneeId", ${a}.description,
  ${a}.due_at AS "dueAt", ${a}.completed_at AS "completedAt", ${a}.result, ${a}.created_by AS "createdBy",
  ${a}.created_at AS "createdAt"`;
const MEASURE_COLUMNS = measureColumns('measures');

/** Columns of a case a change may set; names as in CaseRow. */
const SETTABLE: Record<string, string> = {
  districtCode: 'district_code',
  category: 'category',
  legalBasis: 'legal_basis',
  riskLevel: 'risk_level',
  riskRationale: 'risk_rationale',
  riskAssessedBy: 'risk_assessed_by',
  riskAssessedAt: 'risk_assessed_at',
  ownerAgency: 'owner_agency',
  responsibleOfficer: 'responsible_officer',
  agencies: 'agencies',
  status: 'status',
  outcome: 'outcome',
  reviewIntervalDays: 'review_interval_days',
  nextReviewAt: 'next_review_at',
  reviewFlaggedAt: 'review_flagged_at',
  reviewFlagReason: 'review_flag_reason',
  closedAt: 'closed_at',
};

export interface CaseFilter {
  regionCode?: string;
  districtCode?: string;
  status?: CaseStatus;
  category?: Category;
  subjectKind?: SubjectKind;
  responsibleOfficer?: string;
  statuses?: string[];
  categories?: string[];
  riskLevels?: string[];
  /** Only cases linked to this incident. */
  incidentId?: string;
  after?: { openedAt: string; id: string };
  limit: number;
}

/** The SQL of cases, their subjects, risk factors, measures, reviews and timeline. */

/** A case whose review is due or was flagged, for the officers' work list. */
export interface DueReviewRow {
  id: string;
  number: string;
  regionCode: string;
  responsibleOfficer: string;
  nextReviewAt: Date;
  reviewFlaggedAt: Date | null;
  reviewFlagReason: string | null;
}

@Injectable()
export class CasesRepository {
  constructor(private readonly access: RegionAccess) {}

  async nextNumber(m: EntityManager, regionCode: string, year: number): Promise<string> {
    const [{ last }] = (await m.query(
      `INSERT INTO case_numbers (region_code, year, last) VALUES ($1, $2, 1)
       ON CONFLICT (region_code, year) DO UPDATE SET last = case_numbers.last + 1 RETURNING last`,
      [regionCode, year],
    )) as [{ last: number }];
    return `${regionCode}-P-${year}-${String(last).padStart(6, '0')}`;
  }

  async insertSubject(m: EntityManager, s: Omit<SubjectRow, 'id' | 'erasedAt'>): Promise<string> {
    const [{ id }] = (await m.query(
      `INSERT INTO subjects (region_code, kind, name, identifier, birth_date, address, address_key, lat, lon, notes)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
      [
        s.regionCode,
        s.kind,
        s.name,
        s.identifier,
        s.birthDate,
        s.address,
        s.addressKey,
        s.lat,
        s.lon,
        s.notes,
      ],
    )) as [{ id: string }];
    return id;
  }

  async findSubject(m: EntityManager, id: string, scope: RegionScope): Promise<SubjectRow | null> {
    const params: unknown[] = [id];
    const rows = (await m.query(
      `SELECT ${SUBJECT_COLUMNS} FROM subjects WHERE id = $1 AND ${this.access.clause(scope, params)}`,
      params,
    )) as SubjectRow[];
    return rows[0] ?? null;
  }

  async insertCase(
    m: EntityManager,
    c: Pick<
      CaseRow,
      | 'number'
      | 'regionCode'
      | 'districtCode'
      | 'subjectId'
      | 'category'
      | 'legalBasis'
      | 'ownerAgency'
      | 'responsibleOfficer'
      | 'agencies'
      | 'reviewIntervalDays'
      | 'triggeredAt'
      | 'suggestionId'
      | 'openedBy'
    >,
  ): Promise<string> {
    const [{ id }] = (await m.query(
      `INSERT INTO cases (number, region_code, district_code, subject_id, category, legal_basis, owner_agency,
         responsible_officer, agencies, review_interval_days, next_review_at, triggered_at, suggestion_id, opened_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, now() + make_interval(days => $10), $11, $12, $13)
       RETURNING id`,
      [
        c.number,
        c.regionCode,
        c.districtCode,
        c.subjectId,
        c.category,
        c.legalBasis,
        c.ownerAgency,
        c.responsibleOfficer,
        c.agencies,
        c.reviewIntervalDays,
        c.triggeredAt,
        c.suggestionId,
        c.openedBy,
      ],
    )) as [{ id: string }];
    return id;
  }

  /** The case, locked for the rest of the transaction when `forUpdate`. */
  async findCase(
    m: EntityManager,
    id: string,
    scope: RegionScope,
    forUpdate = false,
  ): Promise<CaseRow | null> {
    const params: unknown[] = [id];
    const rows = (await m.query(
      `SELECT ${CASE_COLUMNS} FROM cases c WHERE c.id = $1 AND ${this.access.clause(scope, params, 'c.region_code')}
       ${forUpdate ? 'FOR UPDATE' : ''}`,
      params,
    )) as CaseRow[];
    return rows[0] ?? null;
  }

  async details(m: EntityManager, row: CaseRow): Promise<CaseDetails> {
    const [subject] = (await m.query(`SELECT ${SUBJECT_COLUMNS} FROM subjects WHERE id = $1`, [
      row.subjectId,
    ])) as SubjectRow[];
    const riskFactors = (await m.query(
      `SELECT code, weight, source_incident_id AS "sourceIncidentId", identified_at AS "identifiedAt"
       FROM risk_factors WHERE case_id = $1 ORDER BY code`,
      [row.id],
    )) as RiskFactorRow[];
    const measures = (await m.query(
      `SELECT ${MEASURE_COLUMNS} FROM measures WHERE case_id = $1 ORDER BY due_at, id`,
      [row.id],
    )) as MeasureRow[];
    const links = (await m.query(
      `SELECT incident_id AS "incidentId" FROM case_incidents WHERE case_id = $1 ORDER BY occurred_at, incident_id`,
      [row.id],
    )) as { incidentId: string }[];
    return { row, subject, riskFactors, measures, linkedIncidentIds: links.map((l) => l.incidentId) };
  }

  /** Sets the given columns, bumps the version; returns the new row. */
  async updateCase(m: EntityManager, id: string, changes: Partial<CaseRow>): Promise<CaseRow> {
    const sets: string[] = [];
    const params: unknown[] = [id];
    for (const [field, value] of Object.entries(changes)) {
      const column = SETTABLE[field];
      if (!column) throw new Error(`case field ${field} cannot be changed`);
      params.push(value);
      sets.push(`${column} = $${params.length}`);
    }
    const [rows] = (await m.query(
      `UPDATE cases c SET ${[...sets, 'updated_at = now()', 'version = version + 1'].join(', ')}
       WHERE id = $1 RETURNING ${CASE_COLUMNS}`,
      params,
    )) as [CaseRow[], number];
    return rows[0];
  }

  async replaceRiskFactors(
    m: EntityManager,
    row: CaseRow,
    factors: { code: string; weight: RiskLevel; sourceIncidentId: string | null }[],
  ): Promise<void> {
    await m.query('DELETE FROM risk_factors WHERE case_id = $1', [row.id]);
    for (const f of factors) {
      await m.query(
        `INSERT INTO risk_factors (case_id, region_code, code, weight, source_incident_id) VALUES ($1, $2, $3, $4, $5)`,
        [row.id, row.regionCode, f.code, f.weight, f.sourceIncidentId],
      );
    }
  }

  async insertMeasure(
    m: EntityManager,
    row: CaseRow,
    measure: Pick<MeasureRow, 'kind' | 'agencyCode' | 'assigneeId' | 'description' | 'dueAt' | 'createdBy'>,
  ): Promise<MeasureRow> {
    const [created] = (await m.query(
      `INSERT INTO measures (case_id, region_code, kind, agency_code, assignee_id, description, due_at, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${MEASURE_COLUMNS}`,
      [
        row.id,
        row.regionCode,
        measure.kind,
        measure.agencyCode,
        measure.assigneeId,
        measure.description,
        measure.dueAt,
        measure.createdBy,
      ],
    )) as MeasureRow[];
    return created;
  }

  async findMeasure(m: EntityManager, caseId: string, measureId: string): Promise<MeasureRow | null> {
    const rows = (await m.query(
      `SELECT ${MEASURE_COLUMNS} FROM measures WHERE case_id = $1 AND id = $2 FOR UPDATE`,
      [caseId, measureId],
    )) as MeasureRow[];
    return rows[0] ?? null;
  }

  async updateMeasure(
    m: EntityManager,
    id: string,
    changes: Pick<MeasureRow, 'status' | 'result' | 'completedAt' | 'dueAt' | 'assigneeId'>,
  ): Promise<MeasureRow> {
    const [rows] = (await m.query(
      `UPDATE measures SET status = $2, result = $3, completed_at = $4, due_at = $5, assignee_id = $6,
         updated_at = now() WHERE id = $1 RETURNING ${MEASURE_COLUMNS}`,
      [id, changes.status, changes.result, changes.completedAt, changes.dueAt, changes.assigneeId],
    )) as [MeasureRow[], number];
    return rows[0];
  }

  async insertReview(
    m: EntityManager,
    row: CaseRow,
    review: { dueAt: Date; reviewedBy: string; conclusion: string; nextReviewAt: Date },
  ): Promise<void> {
    await m.query(
      `INSERT INTO reviews (case_id, region_code, due_at, reviewed_by, conclusion, next_review_at)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [row.id, row.regionCode, review.dueAt, review.reviewedBy, review.conclusion, review.nextReviewAt],
    );
  }

  async addTimeline(
    m: EntityManager,
    row: Pick<CaseRow, 'id' | 'regionCode'>,
    entry: { kind: string; actor: string; incidentId?: string | null; details?: Record<string, unknown> },
  ): Promise<void> {
    await m.query(
      `INSERT INTO case_timeline (case_id, region_code, kind, actor, incident_id, details)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb)`,
      [
        row.id,
        row.regionCode,
        entry.kind,
        entry.actor,
        entry.incidentId ?? null,
        JSON.stringify(entry.details ?? {}),
      ],
    );
  }

  timeline(m: EntityManager, caseId: string) {
    return m.query(
      `SELECT at, kind, actor, incident_id AS "incidentId", details FROM case_timeline
       WHERE case_id = $1 ORDER BY at, id`,
      [caseId],
    ) as Promise<{ at: Date; kind: string; actor: string; incidentId: string | null; details: object }[]>;
  }

  async list(
    m: EntityManager,
    filter: CaseFilter,
    scope: RegionScope,
  ): Promise<(CaseRow & { subjectKind: SubjectKind })[]> {
    const params: unknown[] = [];
    const where = [this.access.clause(scope, params, 'c.region_code')];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (filter.regionCode) add('c.region_code = ?', filter.regionCode);
    if (filter.districtCode) add('c.district_code = ?', filter.districtCode);
    if (filter.status) add('c.status = ?', filter.status);
    if (filter.category) add('c.category = ?', filter.category);
    if (filter.subjectKind) add('s.kind = ?', filter.subjectKind);
    if (filter.responsibleOfficer) add('c.responsible_officer = ?', filter.responsibleOfficer);
    if (filter.statuses?.length) add('c.status = ANY(?::text[])', filter.statuses);
    if (filter.categories?.length) add('c.category = ANY(?::text[])', filter.categories);
    if (filter.riskLevels?.length) add('c.risk_level = ANY(?::text[])', filter.riskLevels);
    if (filter.incidentId) {
      add(
        'EXISTS (SELECT 1 FROM case_incidents ci WHERE ci.case_id = c.id AND ci.incident_id = ?)',
        filter.incidentId,
      );
    }
    if (filter.after) {
      params.push(filter.after.openedAt, filter.after.id);
      where.push(`(c.opened_at, c.id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    params.push(filter.limit);
    return m.query(
      `SELECT ${CASE_COLUMNS}, s.kind AS "subjectKind" FROM cases c JOIN subjects s ON s.id = c.subject_id
       WHERE ${where.join(' AND ')} ORDER BY c.opened_at DESC, c.id DESC LIMIT $${params.length}`,
      params,
    );
  }

  /** Linked incident ids and measures of many cases at once, for lists. */
  async measuresOf(m: EntityManager, caseIds: string[]): Promise<MeasureRow[]> {
    if (caseIds.length === 0) return [];
    return m.query(
      `SELECT ${MEASURE_COLUMNS} FROM measures WHERE case_id = ANY($1::uuid[]) ORDER BY due_at, id`,
      [caseIds],
    );
  }

  async overdueMeasures(m: EntityManager, scope: RegionScope, regionCode: string | undefined, now: Date) {
    const params: unknown[] = [now, regionCode ?? null];
    return m.query(
      `SELECT ${measureColumns('ms')} FROM measures ms
       JOIN cases c ON c.id = ms.case_id
       WHERE ms.status IN ('planned', 'in-progress') AND ms.due_at < $1 AND c.status <> 'closed'
         AND ($2::text IS NULL OR ms.region_code = $2) AND ${this.access.clause(scope, params, 'ms.region_code')}
       ORDER BY ms.due_at LIMIT 1000`,
      params,
    ) as Promise<MeasureRow[]>;
  }

  async dueReviews(
    m: EntityManager,
    scope: RegionScope,
    regionCode: string | undefined,
    now: Date,
  ): Promise<DueReviewRow[]> {
    const params: unknown[] = [now, regionCode ?? null];
    return m.query(
      `SELECT c.id, c.number, c.region_code AS "regionCode", c.responsible_officer AS "responsibleOfficer",
         c.next_review_at AS "nextReviewAt", c.review_flagged_at AS "reviewFlaggedAt",
         c.review_flag_reason AS "reviewFlagReason"
       FROM cases c
       WHERE c.status <> 'closed' AND (c.next_review_at <= $1 OR c.review_flagged_at IS NOT NULL)
         AND ($2::text IS NULL OR c.region_code = $2) AND ${this.access.clause(scope, params, 'c.region_code')}
       ORDER BY c.review_flagged_at NULLS LAST, c.next_review_at LIMIT 1000`,
      params,
    );
  }
}
