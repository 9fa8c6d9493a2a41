import { Injectable } from '@nestjs/common';
import { incidents as contract } from '@safecity/contracts';
import { AuditLog, RegionScope, UseCase } from '@safecity/security';
import { INCIDENTS_POLICIES as P } from '../incidents.policies';
import { auditFaceMatchReads, type IncidentReader } from '../incidents/face-match-reads';
import { INCIDENT_COLUMNS, incidentView, type IncidentRecord } from '../incidents/incident.model';
import { IncidentsRepository } from '../incidents/incidents.repository';
import { IncidentsService } from '../incidents/incidents.service';
import { OPEN_STATES } from '../lifecycle/state-machine';
import { SopsService } from '../sop/sops.service';

/** What a supervisor watches: open incidents past an SLA deadline, and deviations from SOPs. */
@Injectable()
export class SupervisorOverview {
  constructor(
    private readonly incidents: IncidentsService,
    private readonly repository: IncidentsRepository,
    private readonly sops: SopsService,
    private readonly audit: AuditLog,
  ) {}

  /** The breached incidents are a list like any other: each with a face match is audited. */
  @UseCase(P.supervisorOverview)
  async overview(reader: IncidentReader, regionCode?: string) {
    const scope = RegionScope.of(reader.actor);
    const regions = scope.all ? null : [...scope.regions];
    const [breached, escalations] = await this.incidents.inScope(scope, async (m) => {
      const incidents = (await m.query(
        `SELECT ${INCIDENT_COLUMNS} FROM incidents
          WHERE cardinality(breached_stages) > 0 AND state = ANY($1::int[])
            AND ($2::text[] IS NULL OR region_code = ANY($2::text[])) AND ($3::text IS NULL OR region_code = $3)
          ORDER BY priority DESC, created_at LIMIT 200`,
        [OPEN_STATES, regions, regionCode ?? null],
      )) as IncidentRecord[];
      const faces = incidents.filter(
        (i) => i.sourceKind === contract.IncidentSourceKind.INCIDENT_SOURCE_KIND_FACE_MATCH,
      );
      if (faces.length > 0) {
        const sources = await this.repository.sourcesOf(
          m,
          faces.map((i) => i.id),
        );
        await auditFaceMatchReads(this.audit, m, reader, faces, sources);
      }
      const escalated = (await m.query(
        `SELECT e.incident_id AS "incidentId", i.number, e.stage, e.priority, e.region_code AS "regionCode",
                e.due_at AS "dueAt", e.breached_at AS "breachedAt"
           FROM sla_escalations e JOIN incidents i ON i.id = e.incident_id
          WHERE ($1::text[] IS NULL OR e.region_code = ANY($1::text[])) AND ($2::text IS NULL OR e.region_code = $2)
          ORDER BY e.breached_at DESC LIMIT 200`,
        [regions, regionCode ?? null],
      )) as { stage: number; priority: number }[];
      return [incidents, escalated] as const;
    });
    return {
      slaBreaches: breached.map((incident) => incidentView(incident)),
      escalations: escalations.map((e) => ({
        ...e,
        stage: contract.SlaStage[e.stage].replace('SLA_STAGE_', '').toLowerCase(),
        priority: contract.IncidentPriority[e.priority].replace('INCIDENT_PRIORITY_', '').toLowerCase(),
      })),
      sopDeviations: await this.sops.deviations(scope),
    };
  }
}
