import { Injectable } from '@nestjs/common';
import { RegionAccess, RegionScope, UseCase, UseCaseHandler } from '@safecity/security';
import { RECOGNITION_POLICIES as P } from '../../../recognition.policies';
import { regionsOf } from '../../../watchlists/watchlist-changes';
import { FalsePositivesRepository } from '../../false-positives.repository';
import type { CountFalsePositivesByWatchlist } from './count-false-positives-by-watchlist.command';

type WatchlistCounts = Awaited<ReturnType<FalsePositivesRepository['byWatchlist']>>;

/** Matches dismissed as false alarms, counted per watchlist that raised them, in the caller's regions. */
@Injectable()
export class CountFalsePositivesByWatchlistUseCase extends UseCaseHandler<
  CountFalsePositivesByWatchlist,
  WatchlistCounts
> {
  constructor(
    private readonly falsePositives: FalsePositivesRepository,
    private readonly access: RegionAccess,
  ) {
    super();
  }

  @UseCase(P.readFalsePositives)
  async execute({ actor, filter }: CountFalsePositivesByWatchlist): Promise<WatchlistCounts> {
    const scope = RegionScope.of(actor);
    return this.access.run(scope, (m) =>
      this.falsePositives.byWatchlist(m, { ...filter, regions: regionsOf(scope) }),
    );
  }
}
