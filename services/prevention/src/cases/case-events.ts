import { common, EventTypes, prevention, preventionCaseChangedEventType, Topics } from '@safecity/contracts';
import type { OutboundEvent } from '@safecity/messaging';
import {
  CATEGORY_MESSAGE,
  MEASURE_KIND_MESSAGE,
  MEASURE_STATUS_MESSAGE,
  OUTCOME_MESSAGE,
  RISK_MESSAGE,
  STATUS_MESSAGE,
  SUBJECT_KIND_MESSAGE,
  isPersonalSubject,
  type CaseStatus,
  type RiskLevel,
  type SubjectKind,
} from '../domain/vocabulary';
import { boundsOf, cellOf, DEFAULT_CELL_DEG } from '../forecasts/grid';
import type { CaseDetails } from './cases.repository';

/**
 * Who a case message goes to. `event`: everyone reading safecity.prevention.v1, where nothing can
 * be erased later, so no address of any subject (a "place" may be a flat) and only the grid cell
 * of a place. `read`: a caller who gave a purpose, whose read is audited, gets the place's address
 * and point.
 */
export type CaseAudience = 'event' | 'read';

/** A place's point as events carry it: the centre of its grid cell, a few streets wide. */
export function coarseLocation(lat: number, lon: number): { lat: number; lon: number } {
  const cell = boundsOf(cellOf(lat, lon, DEFAULT_CELL_DEG));
  const r = (x: number) => Math.round(x * 1e6) / 1e6;
  return { lat: r((cell.south + cell.north) / 2), lon: r((cell.west + cell.east) / 2) };
}

/**
 * The case as the contract carries it: people and families by reference only (no name, no
 * address), places and organizations with their location (see CaseAudience); no free text.
 */
export function toCaseMessage(details: CaseDetails, audience: CaseAudience): prevention.PreventionCase {
  const { row, subject } = details;
  const place = !isPersonalSubject(subject.kind);
  const point =
    place && subject.lat !== null && subject.lon !== null ? { lat: subject.lat, lon: subject.lon } : null;
  return prevention.PreventionCase.fromPartial({
    id: row.id,
    number: row.number,
    subject: {
      kind: SUBJECT_KIND_MESSAGE[subject.kind as SubjectKind],
      subjectRef: subject.id,
      location: point && audience === 'event' ? coarseLocation(point.lat, point.lon) : point,
      address: place && audience === 'read' ? (subject.address ?? '') : '',
    },
    category: CATEGORY_MESSAGE[row.category],
    riskLevel: row.riskLevel ? RISK_MESSAGE[row.riskLevel] : prevention.RiskLevel.RISK_LEVEL_UNSPECIFIED,
    status: STATUS_MESSAGE[row.status],
    regionCode: row.regionCode,
    districtCode: row.districtCode ?? '',
    ownerId: row.responsibleOfficer,
    agencyCodes: row.agencies,
    legalBasisRef: row.legalBasis,
    // A person's risk factors, keyed by their subject reference, would stay on the topic after the
    // person is erased: events carry the risk level only.
    riskFactors: (audience === 'read' ? details.riskFactors : []).map((f) => ({
      code: f.code,
      weight: RISK_MESSAGE[f.weight as RiskLevel],
      sourceIncidentId: f.sourceIncidentId ?? '',
      identifiedAt: f.identifiedAt,
    })),
    measures: details.measures.map((m) => ({
      id: m.id,
      kind: MEASURE_KIND_MESSAGE[m.kind],
      status: MEASURE_STATUS_MESSAGE[m.status],
      agencyCode: m.agencyCode,
      assigneeId: m.assigneeId,
      dueAt: m.dueAt,
      completedAt: m.completedAt,
    })),
    linkedIncidentIds: details.linkedIncidentIds,
    openedAt: row.openedAt,
    nextReviewAt: row.nextReviewAt,
    closedAt: row.closedAt,
    closureReason: row.outcome
      ? OUTCOME_MESSAGE[row.outcome]
      : prevention.ClosureReason.CLOSURE_REASON_UNSPECIFIED,
    updatedAt: row.updatedAt,
    version: row.version,
  });
}

export function caseChangedEvent(
  kind: prevention.PreventionCaseChangeKind,
  details: CaseDetails,
  actor: { kind: 'user' | 'service' | 'video-system'; subject: string },
  previousStatus: CaseStatus,
): OutboundEvent {
  const message = prevention.PreventionCaseChanged.fromPartial({
    kind,
    preventionCase: toCaseMessage(details, 'event'),
    previousStatus: STATUS_MESSAGE[previousStatus],
    actor: {
      kind: actor.kind === 'user' ? common.ActorKind.ACTOR_KIND_USER : common.ActorKind.ACTOR_KIND_SERVICE,
      id: actor.subject,
    },
    changedAt: details.row.updatedAt,
  });
  return {
    topic: Topics.Prevention,
    key: details.row.id,
    type: preventionCaseChangedEventType(kind),
    payload: prevention.PreventionCaseChanged.encode(message).finish(),
    subject: `prevention-case/${details.row.id}`,
    region: details.row.regionCode,
    time: details.row.updatedAt,
  };
}

export function triggerFiredEvent(trigger: prevention.PreventionTrigger): OutboundEvent {
  return {
    id: trigger.id,
    topic: Topics.Prevention,
    key: trigger.id,
    type: EventTypes.PreventionTriggerFired,
    payload: prevention.PreventionTriggerFired.encode({ trigger }).finish(),
    subject: `prevention-trigger/${trigger.id}`,
    region: trigger.regionCode,
    time: trigger.firedAt ?? new Date(),
  };
}

export const ChangeKind = prevention.PreventionCaseChangeKind;
