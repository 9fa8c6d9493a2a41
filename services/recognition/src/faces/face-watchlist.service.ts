import { Injectable, NotFoundException } from '@nestjs/common';
import { AuditLog, RegionScope, UseCase, type Principal } from '@safecity/security';
import { RECOGNITION_POLICIES as P } from '../recognition.policies';
import { decodeCursor, encodeCursor, UnprocessableFieldException, type Page } from '@safecity/service-kit';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { AUDITED_OBJECTS, checkMatchScope } from '../watchlists/watchlist';
import { WatchlistsRepository } from '../watchlists/watchlists.repository';
import { regionsOf, WatchlistsService } from '../watchlists/watchlists.service';
import { normalised } from './face-index';
import type { EnrolSubjectDto, EnrolTemplateDto, FaceEntryFieldsDto } from './face-entry.dto';
import { FaceMatcher, templateBinding } from './face-matcher';
import { FaceWatchlistRepository, type FaceEntry, type TemplateInfo } from './face-watchlist.repository';

const MAX_LISTING_MS = 5 * 366 * 24 * 3600 * 1000;

export type FaceEntryView = FaceEntry & { templates: TemplateInfo[] };

/**
 * Subjects of face watchlists and their enrolled templates. Templates go in and never come out:
 * the API shows their model, size and enrolment time, and the vectors are sealed before they
 * reach the database. Every read and change is audited with its purpose and legal basis.
 */
@Injectable()
export class FaceWatchlistService {
  constructor(
    private readonly entries: FaceWatchlistRepository,
    private readonly lists: WatchlistsService,
    private readonly changes: WatchlistsRepository,
    private readonly matcher: FaceMatcher,
    private readonly audit: AuditLog,
  ) {}

  /** `andThen` runs in the enrolment's transaction (an enrolment photo is kept with its entry). */
  @UseCase(P.keepFaceEntries)
  async enrol(
    watchlistId: string,
    dto: EnrolSubjectDto,
    actor: Principal,
    andThen?: (m: EntityManager, entry: FaceEntry) => Promise<void>,
  ): Promise<FaceEntryView> {
    const scope = RegionScope.of(actor);
    checkExpiry(dto.expiresAt);
    dto.templates.forEach((t, i) => this.checkTemplate(t, `templates.${i}`));
    return this.lists.change(scope, async (m) => {
      const list = await this.lists.get(watchlistId, scope, m, 'face');
      const entry = await this.entries.insert(m, {
        id: randomUUID(),
        watchlistId: list.id,
        regionCode: list.regionCode,
        subjectRef: dto.subjectRef,
        legalBasis: dto.legalBasis,
        owner: dto.owner,
        scopeRegions: checkMatchScope(scope, list.regionCode, dto.national ? 'national' : dto.regions),
        expiresAt: dto.expiresAt,
        createdBy: actor.subject,
      });
      const templates: TemplateInfo[] = [];
      for (const t of dto.templates) templates.push(await this.store(m, entry, t, actor));
      await andThen?.(m, entry);
      await this.changes.recordChanges(m, 'face-entry', [entry.id]);
      await this.record(m, actor, 'create', entry, 'watchlist administration', {
        templates: templates.length,
      });
      return { ...entry, templates };
    });
  }

  @UseCase(P.keepFaceEntries)
  async addTemplate(
    entryId: string,
    dto: EnrolTemplateDto,
    actor: Principal,
    andThen?: (m: EntityManager, entry: FaceEntry) => Promise<void>,
  ): Promise<TemplateInfo> {
    const scope = RegionScope.of(actor);
    this.checkTemplate(dto, '');
    return this.lists.change(scope, async (m) => {
      const entry = await this.find(m, scope, entryId);
      const info = await this.store(m, entry, dto, actor);
      await andThen?.(m, entry);
      await this.changes.recordChanges(m, 'face-entry', [entry.id]);
      await this.record(m, actor, 'update', entry, 'watchlist administration', { enrolledTemplate: info.id });
      return info;
    });
  }

  @UseCase(P.readFaceEntries)
  async get(id: string, actor: Principal, purpose: string): Promise<FaceEntryView> {
    const scope = RegionScope.of(actor);
    return this.lists.read(scope, async (m) => {
      const entry = await this.find(m, scope, id);
      await this.record(m, actor, 'read', entry, purpose);
      return { ...entry, templates: await this.entries.templateInfo(m, [id]) };
    });
  }

  @UseCase(P.readFaceEntries)
  async list(
    watchlistId: string,
    query: { limit?: number; cursor?: string },
    actor: Principal,
    purpose: string,
  ): Promise<Page<FaceEntry>> {
    const scope = RegionScope.of(actor);
    const limit = query.limit ?? 100;
    const after = decodeCursor(query.cursor, { id: 'uuid' });
    return this.lists.read(scope, async (m) => {
      const list = await this.lists.get(watchlistId, scope, m, 'face');
      const rows = await this.entries.listOf(m, regionsOf(scope), list.id, after?.id, limit + 1);
      const items = rows.slice(0, limit);
      for (const entry of items) await this.record(m, actor, 'read', entry, purpose);
      return {
        items,
        nextCursor: rows.length > limit ? encodeCursor({ id: items[items.length - 1].id }) : null,
      };
    });
  }

  @UseCase(P.keepFaceEntries)
  async update(id: string, dto: FaceEntryFieldsDto, actor: Principal): Promise<FaceEntry> {
    const scope = RegionScope.of(actor);
    if (dto.expiresAt) checkExpiry(dto.expiresAt);
    return this.lists.change(scope, async (m) => {
      const entry = await this.find(m, scope, id);
      const regions =
        dto.national || dto.regions
          ? checkMatchScope(scope, entry.regionCode, dto.national ? 'national' : dto.regions)
          : entry.regions === 'national'
            ? null
            : entry.regions;
      const updated = await this.entries.update(m, id, {
        legalBasis: dto.legalBasis ?? entry.legalBasis,
        owner: dto.owner ?? entry.owner,
        scopeRegions: regions,
        expiresAt: dto.expiresAt ?? entry.expiresAt,
      });
      await this.changes.recordChanges(m, 'face-entry', [id]);
      await this.record(m, actor, 'update', updated, 'watchlist administration', {
        fields: Object.keys(dto),
      });
      return updated;
    });
  }

  /** Erases the subject with every enrolled template. */
  @UseCase(P.keepFaceEntries)
  async remove(id: string, actor: Principal, purpose: string): Promise<void> {
    const scope = RegionScope.of(actor);
    await this.lists.change(scope, async (m) => {
      const entry = await this.find(m, scope, id);
      await this.entries.delete(m, id);
      await this.changes.recordChanges(m, 'face-entry', [id]);
      await this.record(m, actor, 'erase', entry, purpose);
    });
  }

  private async store(m: EntityManager, entry: FaceEntry, t: EnrolTemplateDto, actor: Principal) {
    const id = randomUUID();
    const vector = Float32Array.from(t.vector);
    return this.entries.addTemplate(m, {
      id,
      entryId: entry.id,
      regionCode: entry.regionCode,
      model: t.model,
      dimensions: vector.length,
      sealed: this.matcher.sealer.seal(vector, templateBinding({ id, entryId: entry.id, model: t.model })),
      enrolledBy: actor.subject,
    });
  }

  private checkTemplate(t: EnrolTemplateDto, prefix: string): void {
    const field = (name: string) => (prefix ? `${prefix}.${name}` : name);
    const dimensions = this.matcher.dimensionsOf(t.model);
    if (dimensions !== undefined && dimensions !== t.vector.length) {
      throw new UnprocessableFieldException(
        field('vector'),
        `${t.model} templates have ${dimensions} dimensions`,
      );
    }
    if (!normalised(Float32Array.from(t.vector))) {
      throw new UnprocessableFieldException(field('vector'), 'must not be all zero');
    }
  }

  private async find(m: EntityManager, scope: RegionScope, id: string): Promise<FaceEntry> {
    const entry = await this.entries.find(m, regionsOf(scope), id);
    if (!entry) throw new NotFoundException(`watchlist subject ${id} not found`);
    return entry;
  }

  private record(
    m: EntityManager,
    actor: Principal,
    action: 'create' | 'read' | 'update' | 'erase',
    entry: FaceEntry,
    purpose: string,
    details: Record<string, unknown> = {},
  ) {
    return this.audit.record(m, {
      actor,
      action,
      objectType: AUDITED_OBJECTS.faceEntry,
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
