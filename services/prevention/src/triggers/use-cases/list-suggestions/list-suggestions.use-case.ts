import { Injectable } from '@nestjs/common';
import { RegionAccess, RegionScope, UseCase, UseCaseHandler } from '@safecity/security';
import { PREVENTION_POLICIES as P } from '../../../prevention.policies';
import { IncidentsRepository, type Suggestion } from '../../incidents.repository';
import { regionsOf } from '../../suggestion-regions';
import type { ListSuggestions } from './list-suggestions.command';

/** Suggestions raised by the repeat-incident rule in the caller's regions. */
@Injectable()
export class ListSuggestionsUseCase extends UseCaseHandler<ListSuggestions, Suggestion[]> {
  constructor(
    private readonly access: RegionAccess,
    private readonly incidents: IncidentsRepository,
  ) {
    super();
  }

  @UseCase(P.decideSuggestions)
  async execute({ actor, query }: ListSuggestions): Promise<Suggestion[]> {
    const scope = RegionScope.of(actor);
    return this.access.run(scope, (m) => this.incidents.listSuggestions(m, regionsOf(scope), query));
  }
}
