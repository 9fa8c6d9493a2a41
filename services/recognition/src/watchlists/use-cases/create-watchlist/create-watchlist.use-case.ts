import { Injectable } from '@nestjs/common';
import { RegionScope, UseCase, UseCaseHandler } from '@safecity/security';
import { InvalidError } from '@safecity/service-kit';
import { randomUUID } from 'node:crypto';
import { RECOGNITION_POLICIES as P } from '../../../recognition.policies';
import type { Watchlist } from '../../watchlist';
import { WatchlistChanges } from '../../watchlist-changes';
import { WatchlistsRepository } from '../../watchlists.repository';
import type { CreateWatchlist } from './create-watchlist.command';

/** A plate hotlist or face watchlist of one of the caller's regions, kept on a legal basis. */
@Injectable()
export class CreateWatchlistUseCase extends UseCaseHandler<CreateWatchlist, Watchlist> {
  constructor(
    private readonly lists: WatchlistsRepository,
    private readonly changes: WatchlistChanges,
  ) {
    super();
  }

  @UseCase(P.keepWatchlists)
  async execute({ actor, watchlist: fields }: CreateWatchlist): Promise<Watchlist> {
    const scope = RegionScope.of(actor);
    if (!scope.includes(fields.regionCode)) {
      throw new InvalidError({
        field: 'regionCode',
        reason: `region ${fields.regionCode} is outside your scope`,
      });
    }
    if (fields.kind === 'face' && fields.threshold === undefined) {
      throw new InvalidError({ field: 'threshold', reason: 'a face watchlist needs a match threshold' });
    }
    if (fields.kind === 'plate' && (fields.threshold !== undefined || fields.category !== undefined)) {
      const field = fields.threshold !== undefined ? 'threshold' : 'category';
      throw new InvalidError({ field, reason: 'applies to face watchlists only' });
    }
    return this.changes.change(scope, async (m) => {
      const list = await this.lists.insert(m, {
        id: randomUUID(),
        kind: fields.kind,
        name: fields.name,
        regionCode: fields.regionCode,
        category: fields.kind === 'face' ? (fields.category ?? 'other') : null,
        threshold: fields.threshold ?? null,
        legalBasis: fields.legalBasis,
        owner: fields.owner,
        createdBy: actor.subject,
      });
      await this.changes.changed(m, 'watchlist', [list.id]);
      await this.changes.recordList(m, actor, 'create', list, 'watchlist administration');
      return list;
    });
  }
}
