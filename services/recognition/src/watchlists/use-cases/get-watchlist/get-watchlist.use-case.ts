import { Injectable } from '@nestjs/common';
import { RegionScope, UseCase, UseCaseHandler } from '@safecity/security';
import { RECOGNITION_POLICIES as P } from '../../../recognition.policies';
import type { Watchlist } from '../../watchlist';
import { WatchlistChanges } from '../../watchlist-changes';
import type { GetWatchlist } from './get-watchlist.command';

/** One watchlist; one of another region is not found, like one that does not exist. */
@Injectable()
export class GetWatchlistUseCase extends UseCaseHandler<GetWatchlist, Watchlist> {
  constructor(private readonly changes: WatchlistChanges) {
    super();
  }

  @UseCase(P.readWatchlists)
  async execute({ actor, id }: GetWatchlist): Promise<Watchlist> {
    const scope = RegionScope.of(actor);
    return this.changes.read(scope, (m) => this.changes.listOf(m, scope, id));
  }
}
