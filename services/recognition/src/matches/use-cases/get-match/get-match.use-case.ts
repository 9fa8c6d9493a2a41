import { Injectable } from '@nestjs/common';
import { RegionScope, UseCase, UseCaseHandler } from '@safecity/security';
import { NotFoundError } from '@safecity/service-kit';
import { RECOGNITION_POLICIES as P } from '../../../recognition.policies';
import { regionsOf } from '../../../watchlists/watchlist-changes';
import type { MatchMessage } from '../../match-messages';
import { MatchViews } from '../../match-views';
import { MatchesRepository } from '../../matches.repository';
import type { GetMatch } from './get-match.command';

/** One match with its verifications, its view audited; another region's is not found. */
@Injectable()
export class GetMatchUseCase extends UseCaseHandler<GetMatch, MatchMessage> {
  constructor(
    private readonly matches: MatchesRepository,
    private readonly views: MatchViews,
  ) {
    super();
  }

  @UseCase(P.getMatch)
  async execute({ actor, id, purpose }: GetMatch): Promise<MatchMessage> {
    const scope = RegionScope.of(actor);
    return this.views.inScope(scope, async (m) => {
      const row = await this.matches.find(m, regionsOf(scope), id);
      if (!row) throw new NotFoundError(`match ${id} not found`);
      const [message] = await this.views.withVerifications(m, [row]);
      await this.views.recordView(m, actor, message, purpose);
      return message;
    });
  }
}
