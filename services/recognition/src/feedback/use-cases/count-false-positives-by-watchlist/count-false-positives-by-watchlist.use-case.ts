import { Injectable } from '@nestjs/common';
import { Outbox } from '@safecity/messaging';
import { RegionScope, UseCase, UseCaseHandler } from '@safecity/security';
import { RECOGNITION_POLICIES as P } from '../../../recognition.policies';
import { withinScope } from '../../../watchlists/watchlist';
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
    private readonly outbox: Outbox,
  ) {
    super();
  }

  @UseCase(P.readFalsePositives)
  async execute({ actor, filter }: CountFalsePositivesByWatchlist): Promise<WatchlistCounts> {
    const scope = RegionScope.of(actor);
    return this.outbox.transaction((tx) =>
      withinScope(tx, scope, (m) =>
        this.falsePositives.byWatchlist(m, { ...filter, regions: regionsOf(scope) }),
      ),
    );
  }
}
