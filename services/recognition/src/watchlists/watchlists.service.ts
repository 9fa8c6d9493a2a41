import { Injectable, NotFoundException } from '@nestjs/common';
import { Outbox } from '@safecity/messaging';
import { AuditLog, RegionScope, UseCase, type Principal } from '@safecity/security';
import { RECOGNITION_POLICIES as P } from '../recognition.policies';
import { decodeCursor, encodeCursor, UnprocessableFieldException, type Page } from '@safecity/service-kit';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { AUDITED_OBJECTS, withinScope, type Watchlist, type WatchlistKind } from './watchlist';
import { WatchlistChangeFeed } from './watchlist-change-feed';
import type { CreateWatchlistDto, UpdateWatchlistDto } from './watchlist.dto';
import { WatchlistsRepository } from './watchlists.repository';

export const regionsOf = (scope: RegionScope): readonly string[] | null => (scope.all ? null : scope.regions);

/** Plate hotlists and face watchlists as containers: who keeps them and on what legal basis. */
@Injectable()
export class WatchlistsService {
  constructor(
    private readonly lists: WatchlistsRepository,
    private readonly outbox: Outbox,
    private readonly audit: AuditLog,
    private readonly feed: WatchlistChangeFeed,
  ) {}

  /** Runs `work` in a transaction scoped to the caller's regions, then lets the matchers catch up. */
  async change<T>(scope: RegionScope, work: (m: EntityManager) => Promise<T>): Promise<T> {
    const result = await this.outbox.transaction((m) => withinScope(m, scope, work));
    await this.feed.pull();
    return result;
  }

  read<T>(scope: RegionScope, work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.outbox.transaction((m) => withinScope(m, scope, work));
  }

  @UseCase(P.keepWatchlists)
  async create(dto: CreateWatchlistDto, actor: Principal): Promise<Watchlist> {
    const scope = RegionScope.of(actor);
    if (!scope.includes(dto.regionCode)) {
      throw new UnprocessableFieldException('regionCode', `region ${dto.regionCode} is outside your scope`);
    }
    if (dto.kind === 'face' && dto.threshold === undefined) {
      throw new UnprocessableFieldException('threshold', 'a face watchlist needs a match threshold');
    }
    if (dto.kind === 'plate' && (dto.threshold !== undefined || dto.category !== undefined)) {
      const field = dto.threshold !== undefined ? 'threshold' : 'category';
      throw new UnprocessableFieldException(field, 'applies to face watchlists only');
    }
    return this.change(scope, async (m) => {
      const list = await this.lists.insert(m, {
        id: randomUUID(),
        kind: dto.kind,
        name: dto.name,
        regionCode: dto.regionCode,
        category: dto.kind === 'face' ? (dto.category ?? 'other') : null,
        threshold: dto.threshold ?? null,
        legalBasis: dto.legalBasis,
        owner: dto.owner,
        createdBy: actor.subject,
      });
      await this.lists.recordChanges(m, 'watchlist', [list.id]);
      await this.record(m, actor, 'create', list, 'watchlist administration');
      return list;
    });
  }

  @UseCase(P.readWatchlists)
  async list(
    scope: RegionScope,
    query: { kind?: WatchlistKind; limit?: number; cursor?: string },
  ): Promise<Page<Watchlist>> {
    const limit = query.limit ?? 100;
    const after = decodeCursor(query.cursor, { id: 'uuid' });
    const rows = await this.read(scope, (m) =>
      this.lists.list(m, regionsOf(scope), query.kind, after?.id, limit + 1),
    );
    const items = rows.slice(0, limit);
    return {
      items,
      nextCursor: rows.length > limit ? encodeCursor({ id: items[items.length - 1].id }) : null,
    };
  }

  /** The list, or 404 when it does not exist or belongs to a region outside the scope. */
  @UseCase(P.readWatchlists)
  async get(id: string, scope: RegionScope, m?: EntityManager, kind?: WatchlistKind): Promise<Watchlist> {
    const list = m
      ? await this.lists.find(m, regionsOf(scope), id)
      : await this.read(scope, (tx) => this.lists.find(tx, regionsOf(scope), id));
    if (!list || (kind && list.kind !== kind)) throw new NotFoundException(`watchlist ${id} not found`);
    return list;
  }

  @UseCase(P.keepWatchlists)
  async update(id: string, dto: UpdateWatchlistDto, actor: Principal): Promise<Watchlist> {
    const scope = RegionScope.of(actor);
    return this.change(scope, async (m) => {
      const list = await this.get(id, scope, m);
      if (list.kind === 'plate' && (dto.threshold !== undefined || dto.category !== undefined)) {
        throw new UnprocessableFieldException(
          dto.threshold !== undefined ? 'threshold' : 'category',
          'applies to face watchlists only',
        );
      }
      const updated = await this.lists.update(m, id, dto);
      await this.lists.recordChanges(m, 'watchlist', [id]);
      await this.record(m, actor, 'update', updated, 'watchlist administration', {
        fields: Object.keys(dto),
      });
      return updated;
    });
  }

  @UseCase(P.keepWatchlists)
  async delete(id: string, actor: Principal, purpose: string): Promise<void> {
    const scope = RegionScope.of(actor);
    await this.change(scope, async (m) => {
      const list = await this.get(id, scope, m);
      const entries = await this.lists.delete(m, list);
      await this.lists.recordChanges(
        m,
        list.kind === 'plate' ? 'plate-entry' : 'face-entry',
        entries.map((e) => e.id),
      );
      await this.lists.recordChanges(m, 'watchlist', [id]);
      await this.record(m, actor, 'erase', list, purpose, { entries: entries.length });
      // Each entry is personal data of its own: its erasure is traceable by the entry, as when
      // it is erased alone, not only through the list's summary.
      for (const entry of entries) {
        await this.audit.record(m, {
          actor,
          action: 'erase',
          objectType: list.kind === 'plate' ? AUDITED_OBJECTS.plateEntry : AUDITED_OBJECTS.faceEntry,
          objectId: entry.id,
          regionCode: entry.regionCode,
          purpose,
          legalBasis: entry.legalBasis,
          details: { watchlistId: list.id, withWatchlist: true },
        });
      }
    });
  }

  private record(
    m: EntityManager,
    actor: Principal,
    action: 'create' | 'update' | 'erase',
    list: Watchlist,
    purpose: string,
    details: Record<string, unknown> = {},
  ) {
    return this.audit.record(m, {
      actor,
      action,
      objectType: AUDITED_OBJECTS.watchlist,
      objectId: list.id,
      regionCode: list.regionCode,
      purpose,
      legalBasis: list.legalBasis,
      details: { kind: list.kind, ...details },
    });
  }
}
