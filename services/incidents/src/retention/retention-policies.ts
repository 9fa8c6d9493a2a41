import { incidents as contract } from '@safecity/contracts';
import type { RetentionPolicy } from '@safecity/security';

const S = contract.IncidentState;

/** How long incidents and citizens' data are kept, in days (see the README's retention section). */
export interface IncidentsRetention {
  /** A dismissed incident (false alarm, duplicate, nothing to do), after its dismissal; default 30. */
  dismissedIncidentDays?: number;
  /** A resolved or closed incident, after it ended; default 1095 (three years). */
  endedIncidentDays?: number;
  /** A citizen's contact data (channel citizen id, phone or e-mail), after the report came in; default 30. */
  citizenContactDays?: number;
}

export const DEFAULT_INCIDENTS_RETENTION: Required<IncidentsRetention> = {
  dismissedIncidentDays: 30,
  endedIncidentDays: 1095,
  citizenContactDays: 30,
};

/**
 * Consumed event ids are kept this long: an incident is not erased sooner, so a redelivered
 * match cannot raise again an incident that was dismissed and erased.
 */
const CONSUMED_EVENT_DAYS = 14;
/** The live stream resumes from changes this recent; any erased incident left the feed before. */
const CHANGE_FEED_DAYS = 7;

/**
 * The data classes of incidents and their periods, in the order the retention job erases them.
 * An incident goes with everything that hangs off it (sources and evidence, history,
 * confirmations, SOP steps and deviations, SLA escalations); its citizen reports lose it and go
 * next. Open incidents are never erased: correlation, SLA and the live stream work on them.
 */
export function incidentsRetentionPolicies(retention: IncidentsRetention = {}): RetentionPolicy[] {
  const { dismissedIncidentDays, endedIncidentDays, citizenContactDays } = {
    ...DEFAULT_INCIDENTS_RETENTION,
    ...retention,
  };
  for (const [name, days] of Object.entries({
    dismissedIncidentDays,
    endedIncidentDays,
    citizenContactDays,
  })) {
    if (!(Number.isInteger(days) && days > 0))
      throw new RangeError(`${name} must be a positive number of days`);
  }
  if (dismissedIncidentDays < CONSUMED_EVENT_DAYS) {
    throw new RangeError(
      `dismissed incidents must be kept at least ${CONSUMED_EVENT_DAYS} days, as long as redelivered events are recognised`,
    );
  }
  if (endedIncidentDays < dismissedIncidentDays) {
    throw new RangeError('a resolved or closed incident must be kept at least as long as a dismissed one');
  }
  if (citizenContactDays > dismissedIncidentDays) {
    throw new RangeError("a citizen's contact data must not outlive the shortest-kept incident");
  }
  return [
    {
      dataClass: 'citizen-contact-data',
      table: 'citizen_report_contacts',
      timestampColumn: 'received_at',
      retainFor: { days: citizenContactDays },
      legalBasis: `a citizen's contact data serves questions about the report while it is handled; erased ${citizenContactDays} days after the report came in`,
    },
    {
      dataClass: 'dismissed-incidents',
      table: 'incidents',
      timestampColumn: 'ended_at',
      where: `state = ${S.INCIDENT_STATE_DISMISSED}`,
      retainFor: { days: dismissedIncidentDays },
      legalBasis: `a dismissed incident is about people who did nothing wrong; erased with its evidence ${dismissedIncidentDays} days after the dismissal, time for a review or a complaint`,
    },
    {
      dataClass: 'ended-incidents',
      table: 'incidents',
      timestampColumn: 'ended_at',
      where: `state IN (${S.INCIDENT_STATE_RESOLVED}, ${S.INCIDENT_STATE_CLOSED})`,
      retainFor: { days: endedIncidentDays },
      legalBasis: `a handled incident is the operations center's record for complaints, courts and audits; erased with its evidence ${endedIncidentDays} days after it was resolved or closed`,
    },
    {
      dataClass: 'citizen-reports',
      table: 'citizen_reports',
      timestampColumn: 'received_at',
      where: 'incident_id IS NULL',
      retainFor: { days: 1 },
      legalBasis: 'a citizen report is kept as long as the incident it belongs to',
    },
    {
      dataClass: 'consumed-event-ids',
      table: 'inbox',
      timestampColumn: 'processed_at',
      retainFor: { days: CONSUMED_EVENT_DAYS },
      legalBasis: 'redelivery protection outlives any Kafka retention of consumed topics',
    },
    {
      dataClass: 'incident-change-feed',
      table: 'incident_changes',
      timestampColumn: 'changed_at',
      retainFor: { days: CHANGE_FEED_DAYS },
      legalBasis: 'live-stream resumption needs only recent changes; incidents keep their own history',
    },
  ];
}
