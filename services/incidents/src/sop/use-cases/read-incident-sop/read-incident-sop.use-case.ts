import { Injectable } from '@nestjs/common';
import { RegionScope, UseCase, UseCaseHandler } from '@safecity/security';
import { NotFoundError } from '@safecity/service-kit';
import { RegionTransaction } from '../../../access/region-transaction';
import { INCIDENTS_POLICIES as P } from '../../../incidents.policies';
import { IncidentsRepository } from '../../../incidents/incidents.repository';
import type { SopProgress } from '../../sop';
import { SopDeviations } from '../../sop-deviations';
import { SopsRepository } from '../../sops.repository';
import type { ReadIncidentSop } from './read-incident-sop.command';

/** The checklist an incident follows, with what is done and its deviations. */
@Injectable()
export class ReadIncidentSopUseCase extends UseCaseHandler<ReadIncidentSop, SopProgress> {
  constructor(
    private readonly transaction: RegionTransaction,
    private readonly incidents: IncidentsRepository,
    private readonly sops: SopsRepository,
    private readonly deviations: SopDeviations,
  ) {
    super();
  }

  @UseCase(P.readIncidentSop)
  async execute({ actor, incidentId }: ReadIncidentSop): Promise<SopProgress> {
    const scope = RegionScope.of(actor);
    return this.transaction.run(scope, async (m) => {
      const incident = await this.incidents.findById(m, incidentId);
      if (!incident || !scope.includes(incident.regionCode))
        throw new NotFoundError(`incident ${incidentId} not found`);
      if (!incident.sopId) return { sop: null, steps: [], deviations: [] };
      const sop = await this.deviations.sopOf(m, incident.sopId);
      const done = await this.deviations.doneSteps(m, incidentId);
      return {
        sop: { id: sop.id, version: sop.version },
        steps: sop.steps.map((step) => ({ ...step, done: done.get(step.id) ?? null })),
        deviations: await this.sops.deviationsOf(m, incidentId),
      };
    });
  }
}
