import { Injectable } from '@nestjs/common';
import { RegionScope, UseCase, UseCaseHandler } from '@safecity/security';
import { decodeCursor, encodeCursor, type Page } from '@safecity/service-kit';
import { RECOGNITION_POLICIES as P } from '../../../recognition.policies';
import { regionsOf, WatchlistChanges } from '../../../watchlists/watchlist-changes';
import { FaceWatchlistRepository, type FaceEntry } from '../../face-watchlist.repository';
import type { ListFaceSubjects } from './list-face-subjects.command';

/** A page of a face watchlist's subjects; every subject on it is a read, audited. */
@Injectable()
export class ListFaceSubjectsUseCase extends UseCaseHandler<ListFaceSubjects, Page<FaceEntry>> {
  constructor(
    private readonly entries: FaceWatchlistRepository,
    private readonly changes: WatchlistChanges,
  ) {
    super();
  }

  @UseCase(P.readFaceEntries)
  async execute({ actor, watchlistId, query, purpose }: ListFaceSubjects): Promise<Page<FaceEntry>> {
    const scope = RegionScope.of(actor);
    const limit = query.limit ?? 100;
    const after = decodeCursor(query.cursor, { id: 'uuid' });
    return this.changes.read(scope, async (m) => {
      const list = await this.changes.listOf(m, scope, watchlistId, 'face');
      const rows = await this.entries.listOf(m, regionsOf(scope), list.id, after?.id, limit + 1);
      const items = rows.slice(0, limit);
      for (const entry of items) await this.changes.recordEntry(m, actor, 'read', 'face', entry, purpose);
      return {
        items,
        nextCursor: rows.length > limit ? encodeCursor({ id: items[items.length - 1].id }) : null,
      };
    });
  }
}
