import { Injectable, NotFoundException } from '@nestjs/common';
import { AuditLog, RegionScope, UseCase, type Principal } from '@safecity/security';
import { RECOGNITION_POLICIES as P } from '../recognition.policies';
import { decodeCursor, encodeCursor, UnprocessableFieldException, type Page } from '@safecity/service-kit';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { AUDITED_OBJECTS, checkMatchScope } from '../watchlists/watchlist';
import { regionsOf, WatchlistsService } from '../watchlists/watchlists.service';
import { WatchlistsRepository } from '../watchlists/watchlists.repository';
import type { CreatePlateEntryDto, PlateEntryFieldsDto } from './plate-entry.dto';
import { normalisePlate } from '@safecity/plates';
import { PlateHotlistRepository, type ListedPlate } from './plate-hotlist.repository';

/** The longest an entry may be listed before someone must renew its legal basis. */
const MAX_LISTING_MS = 5 * 366 * 24 * 3600 * 1000;

/** Entries of plate hotlists: every read and change audited with its purpose and legal basis. */
@Injectable()
export class PlateHotlistService {
  constructor(
    private readonly entries: PlateHotlistRepository,
    private readonly lists: WatchlistsService,
    private readonly changes: WatchlistsRepository,
    private readonly audit: AuditLog,
  ) {}

  @UseCase(P.keepPlateEntries)
  async add(watchlistId: string, dto: CreatePlateEntryDto, actor: Principal): Promise<ListedPlate> {
    const scope = RegionScope.of(actor);
    const plate = normalisePlate(dto.plate);
    if (plate === undefined)
      throw new UnprocessableFieldException('plate', 'must be 2–12 letters and digits');
    checkExpiry(dto.expiresAt);
    return this.lists.change(scope, async (m) => {
      const list = await this.lists.get(watchlistId, scope, m, 'plate');
      const entry = await this.entries.insert(m, {
        id: randomUUID(),
        watchlistId: list.id,
        regionCode: list.regionCode,
        plate,
        country: dto.country ?? '',
        reason: dto.reason,
        priority: dto.priority,
        legalBasis: dto.legalBasis,
        owner: dto.owner,
        scopeRegions: checkMatchScope(scope, list.regionCode, dto.national ? 'national' : dto.regions),
        expiresAt: dto.expiresAt,
        createdBy: actor.subject,
      });
      await this.changes.recordChanges(m, 'plate-entry', [entry.id]);
      await this.record(m, actor, 'create', entry, 'hotlist administration');
      return entry;
    });
  }

  @UseCase(P.readPlateEntries)
  async get(id: string, actor: Principal, purpose: string): Promise<ListedPlate> {
    const scope = RegionScope.of(actor);
    return this.lists.read(scope, async (m) => {
      const entry = await this.find(m, scope, id);
      await this.record(m, actor, 'read', entry, purpose);
      return entry;
    });
  }

  @UseCase(P.readPlateEntries)
  async list(
    watchlistId: string,
    query: { limit?: number; cursor?: string },
    actor: Principal,
    purpose: string,
  ): Promise<Page<ListedPlate>> {
    const scope = RegionScope.of(actor);
    const limit = query.limit ?? 100;
    const after = decodeCursor(query.cursor, { id: 'uuid' });
    return this.lists.read(scope, async (m) => {
      const list = await this.lists.get(watchlistId, scope, m, 'plate');
      const rows = await this.entries.listOf(m, regionsOf(scope), list.id, after?.id, limit + 1);
      const items = rows.slice(0, limit);
      for (const entry of items) await this.record(m, actor, 'read', entry, purpose);
      return {
        items,
        nextCursor: rows.length > limit ? encodeCursor({ id: items[items.length - 1].id }) : null,
      };
    });
  }

  @UseCase(P.keepPlateEntries)
  async update(id: string, dto: PlateEntryFieldsDto, actor: Principal): Promise<ListedPlate> {
    const scope = RegionScope.of(actor);
    if (dto.expiresAt) checkExpiry(dto.expiresAt);
    return this.lists.change(scope, async (m) => {
      const entry = await this.find(m, scope, id);
      const regions =
        dto.national || dto.regions
          ? checkMatchScope(scope, entry.regionCode, dto.national ? 'national' : dto.regions)
          : entry.regions === 'national'
            ? null
            : [...entry.regions];
      const updated = await this.entries.update(m, id, {
        plate: entry.plate,
        country: dto.country ?? entry.country,
        reason: dto.reason ?? entry.reason,
        priority: dto.priority ?? entry.priority,
        legalBasis: dto.legalBasis ?? entry.legalBasis,
        owner: dto.owner ?? entry.owner,
        scopeRegions: regions,
        expiresAt: dto.expiresAt ?? entry.expiresAt,
      });
      await this.changes.recordChanges(m, 'plate-entry', [id]);
      await this.record(m, actor, 'update', updated, 'hotlist administration', { fields: Object.keys(dto) });
      return updated;
    });
  }

  @UseCase(P.keepPlateEntries)
  async remove(id: string, actor: Principal, purpose: string): Promise<void> {
    const scope = RegionScope.of(actor);
    await this.lists.change(scope, async (m) => {
      const entry = await this.find(m, scope, id);
      await this.entries.delete(m, id);
      await this.changes.recordChanges(m, 'plate-entry', [id]);
      await this.record(m, actor, 'erase', entry, purpose);
    });
  }

  private async find(m: EntityManager, scope: RegionScope, id: string): Promise<ListedPlate> {
    const entry = await this.entries.find(m, regionsOf(scope), id);
    if (!entry) throw new NotFoundException(`hotlist entry ${id} not found`);
    return entry;
  }

  private record(
    m: EntityManager,
    actor: Principal,
    action: 'create' | 'read' | 'update' | 'erase',
    entry: ListedPlate,
    purpose: string,
    details: Record<string, unknown> = {},
  ) {
    return this.audit.record(m, {
      actor,
      action,
      objectType: AUDITED_OBJECTS.plateEntry,
      objectId: entry.id,
      regionCode: entry.regionCode,
      purpose,
      legalBasis: entry.legalBasis,
      details: { watchlistId: entry.watchlistId, ...details },
    });
  }
}

function checkExpiry(expiresAt: Date): void {
  const now = Date.now();
  if (expiresAt.getTime() <= now) throw new UnprocessableFieldException('expiresAt', 'must be in the future');
  if (expiresAt.getTime() > now + MAX_LISTING_MS) {
    throw new UnprocessableFieldException(
      'expiresAt',
      'an entry may be listed for at most five years at a time',
    );
  }
}
