import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { incidents as contract } from '@safecity/contracts';
import { CurrentPrincipal, RegionScope, Roles, type Principal } from '@safecity/security';
import { INCIDENT_COLUMNS, incidentView, type IncidentRecord } from '../incidents/incident.model';
import { IncidentsService } from '../incidents/incidents.service';
import { OPEN_STATES } from '../lifecycle/state-machine';
import { SopsService } from '../sop/sops.service';

/** What a supervisor watches: open incidents past an SLA deadline, and deviations from SOPs. */
@ApiTags('supervisor')
@ApiBearerAuth()
@Controller('supervisor')
export class SupervisorController {
  constructor(
    private readonly incidents: IncidentsService,
    private readonly sops: SopsService,
  ) {}

  @Get('overview')
  @Roles('supervisor', 'admin')
  async overview(@CurrentPrincipal() principal: Principal, @Query('regionCode') regionCode?: string) {
    const scope = RegionScope.of(principal);
    const regions = scope.all ? null : [...scope.regions];
    const [breached, escalations] = await this.incidents.inScope(scope, async (m) => [
      (await m.query(
        `SELECT ${INCIDENT_COLUMNS} FROM incidents
          WHERE cardinality(breached_stages) > 0 AND state = ANY($1::int[])
            AND ($2::text[] IS NULL OR region_code = ANY($2::text[])) AND ($3::text IS NULL OR region_code = $3)
          ORDER BY priority DESC, created_at LIMIT 200`,
        [OPEN_STATES, regions, regionCode ?? null],
      )) as IncidentRecord[],
      (await m.query(
        `SELECT e.incident_id AS "incidentId", i.number, e.stage, e.priority, e.region_code AS "regionCode",
                e.due_at AS "dueAt", e.breached_at AS "breachedAt"
           FROM sla_escalations e JOIN incidents i ON i.id = e.incident_id
          WHERE ($1::text[] IS NULL OR e.region_code = ANY($1::text[])) AND ($2::text IS NULL OR e.region_code = $2)
          ORDER BY e.breached_at DESC LIMIT 200`,
        [regions, regionCode ?? null],
      )) as { stage: number; priority: number }[],
    ]);
    return {
      slaBreaches: (breached as IncidentRecord[]).map((incident) => incidentView(incident)),
      escalations: (escalations as { stage: number; priority: number }[]).map((e) => ({
        ...e,
        stage: contract.SlaStage[e.stage].replace('SLA_STAGE_', '').toLowerCase(),
        priority: contract.IncidentPriority[e.priority].replace('INCIDENT_PRIORITY_', '').toLowerCase(),
      })),
      sopDeviations: await this.sops.deviations(scope),
    };
  }
}
