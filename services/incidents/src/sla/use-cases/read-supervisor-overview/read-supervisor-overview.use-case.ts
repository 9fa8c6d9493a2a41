import { Injectable } from '@nestjs/common';
import { incidents as contract } from '@safecity/contracts';
import { AuditLog, RegionScope, UseCase, UseCaseHandler } from '@safecity/security';
import { RegionTransaction } from '../../../access/region-transaction';
import { INCIDENTS_POLICIES as P } from '../../../incidents.policies';
import { auditFaceMatchReads } from '../../../incidents/face-match-reads';
import { incidentView, type IncidentView } from '../../../incidents/incident.model';
import { IncidentsRepository } from '../../../incidents/incidents.repository';
import { SopsRepository, type SopDeviationEntry } from '../../../sop/sops.repository';
import { SupervisorOverviewRepository, type EscalationRow } from '../../supervisor-overview.repository';
import type { ReadSupervisorOverview } from './read-supervisor-overview.command';

export interface SupervisorOverview {
  slaBreaches: IncidentView[];
  escalations: (Omit<EscalationRow, 'stage' | 'priority'> & { stage: string; priority: string })[];
  sopDeviations: SopDeviationEntry[];
}

const FACE = contract.IncidentSourceKind.INCIDENT_SOURCE_KIND_FACE_MATCH;

/**
 * What a supervisor watches: open incidents past an SLA deadline, the escalations, and deviations
 * from SOPs. The breached incidents are a list like any other: each with a face match is audited.
 */
@Injectable()
export class ReadSupervisorOverviewUseCase extends UseCaseHandler<
  ReadSupervisorOverview,
  SupervisorOverview
> {
  constructor(
    private readonly transaction: RegionTransaction,
    private readonly overview: SupervisorOverviewRepository,
    private readonly incidents: IncidentsRepository,
    private readonly sops: SopsRepository,
    private readonly audit: AuditLog,
  ) {
    super();
  }

  @UseCase(P.supervisorOverview)
  async execute({ actor, regionCode, purpose }: ReadSupervisorOverview): Promise<SupervisorOverview> {
    const scope = RegionScope.of(actor);
    const regions = scope.all ? null : [...scope.regions];
    return this.transaction.run(scope, async (m) => {
      const breached = await this.overview.breached(m, regions, regionCode ?? null);
      const faces = breached.filter((i) => i.sourceKind === FACE);
      if (faces.length > 0) {
        const sources = await this.incidents.sourcesOf(
          m,
          faces.map((i) => i.id),
        );
        await auditFaceMatchReads(this.audit, m, { actor, purpose }, faces, sources);
      }
      const escalations = await this.overview.escalations(m, regions, regionCode ?? null);
      return {
        slaBreaches: breached.map((incident) => incidentView(incident)),
        escalations: escalations.map((e) => ({
          ...e,
          stage: contract.SlaStage[e.stage].replace('SLA_STAGE_', '').toLowerCase(),
          priority: contract.IncidentPriority[e.priority].replace('INCIDENT_PRIORITY_', '').toLowerCase(),
        })),
        sopDeviations: await this.sops.latestDeviations(m, regions),
      };
    });
  }
}
