import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { INCIDENT_COLUMNS, type IncidentRecord } from '../incidents/incident.model';
import { OPEN_STATES } from '../lifecycle/state-machine';

/** An SLA stage an incident missed, as escalated. */
export interface EscalationRow {
  incidentId: string;
  number: string;
  stage: number;
  priority: number;
  regionCode: string;
  dueAt: Date;
  breachedAt: Date;
}

/** What supervisors watch, of these regions (null: all) or of one of them. */
@Injectable()
export class SupervisorOverviewRepository {
  /** Open incidents past an SLA deadline, most urgent first. */
  async breached(
    m: EntityManager,
    regions: string[] | null,
    regionCode: string | null,
  ): Promise<IncidentRecord[]> {
    return (await m.query(
      `SELECT ${INCIDENT_COLUMNS} FROM incidents
        WHERE cardinality(breached_stages) > 0 AND state = ANY($1::int[])
          AND ($2::text[] IS NULL OR region_code = ANY($2::text[])) AND ($3::text IS NULL OR region_code = $3)
        ORDER BY priority DESC, created_at LIMIT 200`,
      [OPEN_STATES, regions, regionCode],
    )) as IncidentRecord[];
  }

  /** Escalations, newest first. */
  async escalations(
    m: EntityManager,
    regions: string[] | null,
    regionCode: string | null,
  ): Promise<EscalationRow[]> {
    return (await m.query(
      `SELECT e.incident_id AS "incidentId", i.number, e.stage, e.priority, e.region_code AS "regionCode",
              e.due_at AS "dueAt", e.breached_at AS "breachedAt"
         FROM sla_escalations e JOIN incidents i ON i.id = e.incident_id
        WHERE ($1::text[] IS NULL OR e.region_code = ANY($1::text[])) AND ($2::text IS NULL OR e.region_code = $2)
        ORDER BY e.breached_at DESC LIMIT 200`,
      [regions, regionCode],
    )) as EscalationRow[];
  }
}
