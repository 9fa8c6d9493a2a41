import { Injectable } from '@nestjs/common';
import { RegionAccess, RegionScope, UseCase, UseCaseHandler } from '@safecity/security';
import { NotFoundError, UnprocessableFieldException } from '@safecity/service-kit';
import { CaseOpening } from '../../../cases/case-opening';
import type { CaseView } from '../../../cases/case-view';
import { CasesRepository } from '../../../cases/cases.repository';
import { PREVENTION_POLICIES as P } from '../../../prevention.policies';
import { IncidentsRepository } from '../../incidents.repository';
import { ALREADY_DECIDED, regionsOf } from '../../suggestion-regions';
import type { AcceptSuggestion } from './accept-suggestion.command';

/**
 * Opens the case the officer decided on, about the subject the officer chose (kind and name); the
 * subject's address is the suggestion's unless the officer gives another. The suggestion's
 * incidents join the case, and the suggestion is decided, in the case's opening transaction.
 */
@Injectable()
export class AcceptSuggestionUseCase extends UseCaseHandler<AcceptSuggestion, CaseView> {
  constructor(
    private readonly access: RegionAccess,
    private readonly incidents: IncidentsRepository,
    private readonly opening: CaseOpening,
    private readonly cases: CasesRepository,
  ) {
    super();
  }

  @UseCase(P.decideSuggestions)
  async execute({ actor, id, decision }: AcceptSuggestion): Promise<CaseView> {
    const scope = RegionScope.of(actor);
    const suggestion = await this.access.run(scope, (m) =>
      this.incidents.findSuggestion(m, id, regionsOf(scope)),
    );
    if (!suggestion) throw new NotFoundError(`suggestion ${id} not found`);
    if (suggestion.status !== 'pending') {
      throw new UnprocessableFieldException('status', ALREADY_DECIDED(suggestion.status));
    }
    const subject = {
      ...decision.subject,
      address: decision.subject.address ?? suggestion.address ?? suggestion.addressKey,
    };
    return this.opening.open(
      {
        regionCode: suggestion.regionCode,
        districtCode: decision.districtCode ?? suggestion.districtCode ?? undefined,
        subject,
        category: decision.category,
        legalBasis: decision.legalBasis,
        ownerAgency: decision.ownerAgency,
        responsibleOfficer: decision.responsibleOfficer,
        agencies: decision.agencies,
        reviewIntervalDays: decision.reviewIntervalDays,
      },
      actor,
      {
        suggestionId: suggestion.id,
        triggeredAt: suggestion.firedAt,
        onOpened: async (m, caseId) => {
          // Re-read under lock: another officer may have decided meanwhile.
          const current = await this.incidents.findSuggestion(m, id, regionsOf(scope));
          if (current?.status !== 'pending') {
            throw new UnprocessableFieldException('status', 'the suggestion was decided meanwhile');
          }
          await this.incidents.decide(m, id, { status: 'accepted', by: actor.subject, note: null, caseId });
          for (const incident of await this.incidents.incidentTimes(m, suggestion.incidentIds)) {
            await this.incidents.link(m, caseId, incident);
            await this.cases.addTimeline(
              m,
              { id: caseId, regionCode: suggestion.regionCode },
              {
                kind: 'incident',
                actor: actor.subject,
                incidentId: incident.id,
                details: { suggestionId: id },
              },
            );
          }
        },
      },
    );
  }
}
