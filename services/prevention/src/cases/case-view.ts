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

/** A case with everything hanging off it. `fullSubject` only after the read was audited. */
export function caseView(details: CaseDetails, now: Date, fullSubject: boolean) {
  const { row } = details;
  const measures = details.measures.map((m) => measureView(m, now));
  return {
    id: row.id,
    number: row.number,
    regionCode: row.regionCode,
    districtCode: row.districtCode,
    subject: subjectView(details.subject, fullSubject),
    category: row.category,
    legalBasis: row.legalBasis,
    riskLevel: row.riskLevel,
    riskRationale: row.riskRationale,
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
  };
}

export type CaseView = ReturnType<typeof caseView>;
