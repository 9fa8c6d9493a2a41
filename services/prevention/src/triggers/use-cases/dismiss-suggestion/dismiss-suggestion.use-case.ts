import { Injectable } from '@nestjs/common';
import { AuditLog, RegionAccess, RegionScope, UseCase, UseCaseHandler } from '@safecity/security';
import { NotFoundError, UnprocessableFieldException } from '@safecity/service-kit';
import { PREVENTION_POLICIES as P } from '../../../prevention.policies';
import { IncidentsRepository, type Suggestion } from '../../incidents.repository';
import { ALREADY_DECIDED, regionsOf } from '../../suggestion-regions';
import type { DismissSuggestion } from './dismiss-suggestion.command';

/**
 * The officer decides against a case; only incidents after the dismissal count towards a new
 * suggestion at the address.
 */
@Injectable()
export class DismissSuggestionUseCase extends UseCaseHandler<DismissSuggestion, Suggestion> {
  constructor(
    private readonly access: RegionAccess,
    private readonly incidents: IncidentsRepository,
    private readonly auditLog: AuditLog,
  ) {
    super();
  }

  @UseCase(P.decideSuggestions)
  async execute({ actor, id, decision }: DismissSuggestion): Promise<Suggestion> {
    const scope = RegionScope.of(actor);
    return this.access.run(scope, async (m) => {
      const suggestion = await this.incidents.findSuggestion(m, id, regionsOf(scope));
      if (!suggestion) throw new NotFoundError(`suggestion ${id} not found`);
      if (suggestion.status !== 'pending') {
        throw new UnprocessableFieldException('status', ALREADY_DECIDED(suggestion.status));
      }
      await this.incidents.decide(m, id, {
        status: 'dismissed',
        by: actor.subject,
        note: decision.reason,
        caseId: null,
      });
      await this.auditLog.record(m, {
        actor,
        action: 'update',
        objectType: 'prevention-suggestion',
        objectId: id,
        regionCode: suggestion.regionCode,
        details: { decision: 'dismissed' },
      });
      return (await this.incidents.findSuggestion(m, id, null)) as Suggestion;
    });
  }
}
