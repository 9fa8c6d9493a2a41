import { Injectable } from '@nestjs/common';
import { AuditLog, RegionAccess, type Principal, type RegionScope } from '@safecity/security';
import { NotFoundError } from '@safecity/service-kit';
import type { EntityManager } from 'typeorm';
import { AUDITED_OBJECTS, type Watchlist, type WatchlistKind } from './watchlist';
import { WatchlistChangeFeed } from './watchlist-change-feed';
import { WatchlistsRepository } from './watchlists.repository';

export const regionsOf = (scope: RegionScope): readonly string[] | null => (scope.all ? null : scope.regions);

/** An entry of a plate hotlist or a face watchlist, as its audit records name it. */
export interface AuditedEntry {
  id: string;
  watchlistId: string;
  regionCode: string;
  legalBasis: string;
}

export type AuditedAction = 'create' | 'read' | 'update' | 'erase';

/**
 * What the operations on watchlists and their entries share: the transaction scoped to the
 * caller's regions, the list looked up within that scope, and the audit record every read and
 * change of personal data leaves with its purpose and legal basis.
 */
@Injectable()
export class WatchlistChanges {
  constructor(
    private readonly access: RegionAccess,
    private readonly feed: WatchlistChangeFeed,
    private readonly lists: WatchlistsRepository,
    private readonly audit: AuditLog,
  ) {}

  /** Runs `work` in the unit of work scoped to the caller's regions, then lets the matchers catch up. */
  async change<T>(scope: RegionScope, work: (m: EntityManager) => Promise<T>): Promise<T> {
    const result = await this.access.run(scope, work);
    await this.feed.pull();
    return result;
  }

  read<T>(scope: RegionScope, work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.access.run(scope, work);
  }

  /** The list, unless it does not exist, lies outside the scope or is of another kind (alike). */
  async listOf(m: EntityManager, scope: RegionScope, id: string, kind?: WatchlistKind): Promise<Watchlist> {
    const list = await this.lists.find(m, regionsOf(scope), id);
    if (!list || (kind && list.kind !== kind)) throw new NotFoundError(`watchlist ${id} not found`);
    return list;
  }

  /** Marks what changed, so that every instance's matchers pick it up. */
  changed(m: EntityManager, kind: 'plate-entry' | 'face-entry' | 'watchlist', ids: readonly string[]) {
    return this.lists.recordChanges(m, kind, ids);
  }

  recordList(
    m: EntityManager,
    actor: Principal,
    action: Exclude<AuditedAction, 'read'>,
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

  recordEntry(
    m: EntityManager,
    actor: Principal,
    action: AuditedAction,
    kind: WatchlistKind,
    entry: AuditedEntry,
    purpose: string,
    details: Record<string, unknown> = {},
  ) {
    return this.audit.record(m, {
      actor,
      action,
      objectType: kind === 'plate' ? AUDITED_OBJECTS.plateEntry : AUDITED_OBJECTS.faceEntry,
      objectId: entry.id,
      regionCode: entry.regionCode,
      purpose,
      legalBasis: entry.legalBasis,
      details: { watchlistId: entry.watchlistId, ...details },
    });
  }
}
