import { Injectable } from '@nestjs/common';
import { RegionScope, UseCase, UseCaseHandler } from '@safecity/security';
import { InvalidError } from '@safecity/service-kit';
import { RECOGNITION_POLICIES as P } from '../../../recognition.policies';
import type { Watchlist } from '../../watchlist';
import { WatchlistChanges } from '../../watchlist-changes';
import { WatchlistsRepository } from '../../watchlists.repository';
import type { UpdateWatchlist } from './update-watchlist.command';

/** A list's name, legal basis, owner (faces: category and threshold), the change audited. */
@Injectable()
export class UpdateWatchlistUseCase extends UseCaseHandler<UpdateWatchlist, Watchlist> {
  constructor(
    private readonly lists: WatchlistsRepository,
    private readonly changes: WatchlistChanges,
  ) {
    super();
  }

  @UseCase(P.keepWatchlists)
  async execute({ actor, id, fields }: UpdateWatchlist): Promise<Watchlist> {
    const scope = RegionScope.of(actor);
    return this.changes.change(scope, async (m) => {
      const list = await this.changes.listOf(m, scope, id);
      if (list.kind === 'plate' && (fields.threshold !== undefined || fields.category !== undefined)) {
        const field = fields.threshold !== undefined ? 'threshold' : 'category';
        throw new InvalidError({ field, reason: 'applies to face watchlists only' });
      }
      const updated = await this.lists.update(m, id, fields);
      await this.changes.changed(m, 'watchlist', [id]);
      await this.changes.recordList(m, actor, 'update', updated, 'watchlist administration', {
        fields: Object.keys(fields),
      });
      return updated;
    });
  }
}
