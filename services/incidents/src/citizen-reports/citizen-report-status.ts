import { TooFrequentError } from '@safecity/service-kit';
import { incidents as contract } from '@safecity/contracts';

const S = contract.IncidentState;

/**
 * What a citizen is told about their report: how far its incident has come, nothing about the
 * operation (no incident number, unit, operator, reason or other reports).
 */
export const CITIZEN_REPORT_STATUSES = [
  'received',
  'incident-opened',
  'in-progress',
  'dispatched',
  'resolved',
  'closed',
  'dismissed',
] as const;
export type CitizenReportStatus = (typeof CITIZEN_REPORT_STATUSES)[number];

/** The status of a report whose incident is in `state`; `received` while it has none. */
export function citizenStatusOf(state: number | null): CitizenReportStatus {
  switch (state) {
    case S.INCIDENT_STATE_NEW:
      return 'incident-opened';
    case S.INCIDENT_STATE_VERIFIED:
      return 'in-progress';
    // A crew on its way and a crew on the scene are one step for the citizen.
    case S.INCIDENT_STATE_DISPATCHED:
    case S.INCIDENT_STATE_ON_SCENE:
      return 'dispatched';
    case S.INCIDENT_STATE_RESOLVED:
      return 'resolved';
    case S.INCIDENT_STATE_CLOSED:
      return 'closed';
    case S.INCIDENT_STATE_DISMISSED:
      return 'dismissed';
    default:
      return 'received';
  }
}

export interface Acknowledgement {
  acknowledgementId: string;
  status: CitizenReportStatus;
  receivedAt: string;
  /** True when the channel re-posted a report it had already submitted. */
  duplicate: boolean;
}

/** A report taken in: what the citizen is given, and what stays inside the platform. */
export interface TakenIn {
  acknowledgement: Acknowledgement;
  reportId: string;
  incidentId: string | null;
}

/** One citizen id, or one source of anonymous reports, sends more than any emergency needs. */
export class CitizenFloodError extends TooFrequentError {
  constructor(retryAfterSeconds: number, from = 'this citizen') {
    super(`too many reports from ${from}; retry in ${retryAfterSeconds} s`, { retryAfterSeconds });
  }
}

/** Reports one citizen id may send at once, and how fast that allowance comes back. */
export interface CitizenFloodLimit {
  burst: number;
  perMinute: number;
}

export const DEFAULT_CITIZEN_FLOOD_LIMIT: CitizenFloodLimit = { burst: 5, perMinute: 1 };

/**
 * Reports without a citizen id have nobody to count against, so they are counted per source: the
 * channel and the identity that submits them (a channel's gateway, a hotline operator).
 */
export const ANONYMOUS_REPORTS_LIMITER = Symbol('ANONYMOUS_REPORTS_LIMITER');
export const DEFAULT_ANONYMOUS_REPORTS_LIMIT: CitizenFloodLimit = { burst: 60, perMinute: 30 };
