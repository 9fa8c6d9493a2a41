import { indicatedRiskLevel, isMeasureOverdue } from './case-rules';
import { isPersonalSubject } from '../domain/vocabulary';
import type { CaseDetails, CaseRow, MeasureRow, SubjectRow } from './cases.repository';

export interface SubjectView {
  id: string;
  kind: string;
  /** True once retention erased the subject's personal data. */
  erased: boolean;
  name?: string | null;
  identifier?: string | null;
  birthDate?: string | null;
  address?: string | null;
  location?: { lat: number; lon: number } | null;
  notes?: string | null;
}

export type MeasureView = Omit<MeasureRow, 'caseId' | 'regionCode'> & { overdue: boolean };

export function measureView(row: MeasureRow, now: Date): MeasureView {
  const { caseId: _caseId, regionCode: _regionCode, ...rest } = row;
  return { ...rest, overdue: isMeasureOverdue(row, now) };
}

/**
 * A subject as the API shows it. `full` is for audited reads; otherwise people and families are
 * shown by reference only, places and organizations with their name and address.
 */
export function subjectView(subject: SubjectRow, full: boolean): SubjectView {
  const base = { id: subject.id, kind: subject.kind, erased: subject.erasedAt !== null };
  if (!full && isPersonalSubject(subject.kind)) return base;
  return {
    ...base,
    name: subject.name,
    address: subject.address,
    location: subject.lat !== null && subject.lon !== null ? { lat: subject.lat, lon: subject.lon } : null,
    ...(isPersonalSubject(subject.kind)
      ? { identifier: subject.identifier, birthDate: subject.birthDate, notes: subject.notes }
      : { identifier: subject.identifier }),
  };
}

export function reviewState(row: CaseRow, now: Date) {
  return {
    nextReviewAt: row.nextReviewAt,
    reviewIntervalDays: row.reviewIntervalDays,
    reviewDue: row.status !== 'closed' && (row.nextReviewAt <= now || row.reviewFlaggedAt !== null),
    reviewFlag: row.reviewFlaggedAt ? { at: row.reviewFlaggedAt, reason: row.reviewFlagReason } : null,
  };
}

/** What a case's answer leaves out until its subject's data was read with a stated purpose. */
export const WITHHELD_WITHOUT_PURPOSE = ['riskRationale', 'measures.description', 'measures.result'] as const;

/**
 * A case with everything hanging off it. Of a person's or family's case, the subject's data and the
 * free text written about them (the risk rationale, measures' descriptions and results) are shown
 * only when `readAudited`: the caller stated a purpose and the read was recorded with it, or the
 * caller has just written them. Otherwise the subject is a reference and the free text `null`,
 * named in `withheld`.
 */
export function caseView(details: CaseDetails, now: Date, readAudited: boolean) {
  const { row } = details;
  const withhold = isPersonalSubject(details.subject.kind) && !readAudited;
  const measures = details.measures.map((m) => {
    const view = measureView(m, now);
    return withhold ? { ...view, description: null, result: null } : view;
  });
  return {
    id: row.id,
    number: row.number,
    regionCode: row.regionCode,
    districtCode: row.districtCode,
    subject: subjectView(details.subject, readAudited),
    category: row.category,
    legalBasis: row.legalBasis,
    riskLevel: row.riskLevel,
    riskRationale: withhold ? null : row.riskRationale,
    riskAssessedBy: row.riskAssessedBy,
    riskAssessedAt: row.riskAssessedAt,
    riskFactors: details.riskFactors,
    indicatedRiskLevel: indicatedRiskLevel(details.riskFactors.map((f) => f.code)),
    ownerAgency: row.ownerAgency,
    responsibleOfficer: row.responsibleOfficer,
    agencies: row.agencies,
    status: row.status,
    outcome: row.outcome,
    ...reviewState(row, now),
    measures,
    overdueMeasures: measures.filter((m) => m.overdue).length,
    linkedIncidentIds: details.linkedIncidentIds,
    triggeredAt: row.triggeredAt,
    suggestionId: row.suggestionId,
    openedBy: row.openedBy,
    openedAt: row.openedAt,
    closedAt: row.closedAt,
    updatedAt: row.updatedAt,
    version: row.version,
    ...(withhold ? { withheld: [...WITHHELD_WITHOUT_PURPOSE] } : {}),
  };
}

export type CaseView = ReturnType<typeof caseView>;
