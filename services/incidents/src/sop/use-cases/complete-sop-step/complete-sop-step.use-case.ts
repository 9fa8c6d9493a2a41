import { Injectable } from '@nestjs/common';
import { incidents as contract } from '@safecity/contracts';
import { RegionScope, UseCase, UseCaseHandler } from '@safecity/security';
import { ConflictError, InvalidError, NotFoundError } from '@safecity/service-kit';
import { RegionTransaction } from '../../../access/region-transaction';
import { INCIDENTS_POLICIES as P } from '../../../incidents.policies';
import { IncidentChangeLog } from '../../../incidents/incident-change-log';
import { actorOf } from '../../../incidents/incident.model';
import { IncidentsRepository } from '../../../incidents/incidents.repository';
import { stepCompletion } from '../../checklist';
import { SopDeviations } from '../../sop-deviations';
import { SopsRepository } from '../../sops.repository';
import type { CompleteSopStep } from './complete-sop-step.command';

export interface StepCompleted {
  stepId: string;
  /** The earlier steps not yet done when this one was: a deviation, recorded. */
  deviation: { skipped: string[] } | null;
}

/**
 * A step of an incident's checklist done: recorded with who did it, a deviation when earlier steps
 * are not done yet, and a new version of the incident on the feed.
 */
@Injectable()
export class CompleteSopStepUseCase extends UseCaseHandler<CompleteSopStep, StepCompleted> {
  constructor(
    private readonly transaction: RegionTransaction,
    private readonly incidents: IncidentsRepository,
    private readonly sops: SopsRepository,
    private readonly deviations: SopDeviations,
    private readonly changes: IncidentChangeLog,
  ) {
    super();
  }

  @UseCase(P.completeSopStep)
  async execute({ actor, incidentId, stepId, note }: CompleteSopStep): Promise<StepCompleted> {
    const scope = RegionScope.of(actor);
    return this.transaction.run(scope, async (m) => {
      const incident = await this.incidents.findById(m, incidentId, true);
      if (!incident || !scope.includes(incident.regionCode))
        throw new NotFoundError(`incident ${incidentId} not found`);
      if (!incident.sopId || incident.sopVersion === null)
        throw new InvalidError({ field: 'stepId', reason: 'this incident has no SOP checklist' });
      const sop = await this.deviations.sopOf(m, incident.sopId);
      const done = await this.deviations.doneSteps(m, incidentId);
      const completion = stepCompletion(sop.steps, new Set(done.keys()), stepId);
      if (completion.kind === 'unknown-step') throw new NotFoundError(`no step ${stepId} in this checklist`);
      if (completion.kind === 'already-done') throw new ConflictError(`step ${stepId} is already done`);
      await this.sops.completeStep(m, incident, stepId, actor.subject, note);
      if (completion.kind === 'out-of-order')
        await this.deviations.record(m, incident, [stepId], 'out-of-order', actor.subject);
      const updated = await this.incidents.bumpVersion(m, incidentId);
      const sources = (await this.incidents.sourcesOf(m, [incidentId])).get(incidentId) ?? [];
      await this.changes.record(m, [
        {
          kind: contract.IncidentChangeKind.INCIDENT_CHANGE_KIND_UPDATED,
          incident: updated,
          sources,
          actor: actorOf(actor.kind, actor.subject),
          reason: `SOP step ${stepId} done`,
        },
      ]);
      return {
        stepId,
        deviation: completion.kind === 'out-of-order' ? { skipped: completion.skipped } : null,
      };
    });
  }
}
