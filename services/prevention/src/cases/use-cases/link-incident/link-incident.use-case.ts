import { Injectable } from '@nestjs/common';
import { UseCase, UseCaseHandler } from '@safecity/security';
import { ConflictFieldException, UnprocessableFieldException } from '@safecity/service-kit';
import { PREVENTION_POLICIES as P } from '../../../prevention.policies';
import { IncidentsRepository } from '../../../triggers/incidents.repository';
import { CaseChanges, ChangeKind, refuseIfClosed } from '../../case-changes';
import type { CaseView } from '../../case-view';
import { CasesRepository } from '../../cases.repository';
import type { LinkIncident } from './link-incident.command';

/**
 * An officer links an incident that involved the case's subject somewhere else (incident events
 * name places, not people, so only a person can tell); the case is flagged for a review.
 */
@Injectable()
export class LinkIncidentUseCase extends UseCaseHandler<LinkIncident, CaseView> {
  constructor(
    private readonly cases: CasesRepository,
    private readonly incidents: IncidentsRepository,
    private readonly changes: CaseChanges,
  ) {
    super();
  }

  @UseCase(P.steerCase)
  async execute({ actor, id, link, purpose }: LinkIncident): Promise<CaseView> {
    return this.changes.change(
      id,
      actor,
      async (m, row) => {
        refuseIfClosed(row, 'a closed case takes no incidents');
        const [incident] = await this.incidents.incidentTimes(m, [link.incidentId]);
        if (!incident || incident.regionCode !== row.regionCode) {
          throw new UnprocessableFieldException(
            'incidentId',
            `no incident ${link.incidentId} in region ${row.regionCode}`,
          );
        }
        if (!(await this.incidents.link(m, row.id, incident)))
          throw new ConflictFieldException('incidentId', 'the incident is already linked to the case');
        await this.cases.addTimeline(m, row, {
          kind: 'incident',
          actor: actor.subject,
          incidentId: incident.id,
          details: { linkedBy: actor.subject, note: link.note ?? null },
        });
        // An incident involving the subject calls for a review, whoever noticed it.
        const updated = await this.cases.updateCase(m, row.id, {
          reviewFlaggedAt: row.reviewFlaggedAt ?? new Date(),
          reviewFlagReason: `incident ${incident.id} involved the case's subject`,
        });
        return { row: updated, kind: ChangeKind.PREVENTION_CASE_CHANGE_KIND_UPDATED };
      },
      purpose,
    );
  }
}
