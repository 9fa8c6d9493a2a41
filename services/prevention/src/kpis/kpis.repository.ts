import { Injectable } from '@nestjs/common';
import { incidents } from '@safecity/contracts';
import type { EntityManager } from 'typeorm';
import type { KpiCase, KpiIncident, KpiLinkedIncident, KpiMeasure } from './kpi-calculator';

/** The facts behind the KPIs of one region and period. */
@Injectable()
export class KpisRepository {
  /** Cases open at some moment of [from, to): every KPI about cases draws from these. */
  cases(m: EntityManager, regionCode: string, from: Date, to: Date): Promise<KpiCase[]> {
    return m.query(
      `SELECT c.id, c.district_code AS "districtCode", c.opened_at AS "openedAt", c.closed_at AS "closedAt", c.outcome,
              c.triggered_at AS "triggeredAt",
              (c.closed_at IS NOT NULL AND EXISTS (
                 SELECT 1 FROM incidents i WHERE i.region_code = c.region_code AND i.address_key = s.address_key
                   AND i.occurred_at > c.closed_at AND i.state <> $4)) AS "recurredAfterClosure"
       FROM cases c JOIN subjects s ON s.id = c.subject_id
       WHERE c.region_code = $1 AND c.opened_at < $3 AND (c.closed_at IS NULL OR c.closed_at >= $2)`,
      [regionCode, from, to, incidents.IncidentState.INCIDENT_STATE_DISMISSED],
    );
  }

  measures(m: EntityManager, caseIds: string[]): Promise<KpiMeasure[]> {
    return m.query(
      `SELECT case_id AS "caseId", created_at AS "createdAt", due_at AS "dueAt", completed_at AS "completedAt", status
       FROM measures WHERE case_id = ANY($1::uuid[])`,
      [caseIds],
    );
  }

  linkedIncidents(m: EntityManager, caseIds: string[], from: Date, to: Date): Promise<KpiLinkedIncident[]> {
    return m.query(
      `SELECT ci.case_id AS "caseId", ci.occurred_at AS "occurredAt" FROM case_incidents ci
       JOIN incidents i ON i.id = ci.incident_id
       WHERE ci.case_id = ANY($1::uuid[]) AND ci.occurred_at >= $2 AND ci.occurred_at < $3 AND i.state <> $4`,
      [caseIds, from, to, incidents.IncidentState.INCIDENT_STATE_DISMISSED],
    );
  }

  incidents(m: EntityManager, regionCode: string, from: Date, to: Date): Promise<KpiIncident[]> {
    return m.query(
      `SELECT district_code AS "districtCode", occurred_at AS "occurredAt" FROM incidents
       WHERE region_code = $1 AND occurred_at >= $2 AND occurred_at < $3 AND state <> $4`,
      [regionCode, from, to, incidents.IncidentState.INCIDENT_STATE_DISMISSED],
    );
  }
}
