import { Injectable } from '@nestjs/common';
import type { Principal, RegionScope } from '@safecity/security';
import { InvalidError, NotFoundError } from '@safecity/service-kit';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { checkListingExpiry, checkMatchScope } from '../watchlists/watchlist';
import { regionsOf, WatchlistChanges } from '../watchlists/watchlist-changes';
import type { EnrolSubjectDto, EnrolTemplateDto } from './face-entry.dto';
import { normalised } from './face-index';
import { FaceMatcher, templateBinding } from './face-matcher';
import { FaceWatchlistRepository, type FaceEntry, type TemplateInfo } from './face-watchlist.repository';

export type FaceEntryView = FaceEntry & { templates: TemplateInfo[] };

/**
 * What enrolling a subject, adding a template and enrolment from a photo share. Templates go in
 * and never come out: the API shows their model, size and enrolment time, and the vectors are
 * sealed before they reach the database. Each step runs in the transaction it is handed.
 */
@Injectable()
export class FaceEnrolment {
  constructor(
    private readonly entries: FaceWatchlistRepository,
    private readonly changes: WatchlistChanges,
    private readonly matcher: FaceMatcher,
  ) {}

  /** What can be checked before the transaction: the expiry and every template's shape. */
  checkSubject(fields: EnrolSubjectDto): void {
    checkListingExpiry(fields.expiresAt);
    fields.templates.forEach((t, i) => this.checkTemplate(t, `templates.${i}`));
  }

  checkTemplate(t: EnrolTemplateDto, prefix = ''): void {
    const field = (name: string) => (prefix ? `${prefix}.${name}` : name);
    const dimensions = this.matcher.dimensionsOf(t.model);
    if (dimensions !== undefined && dimensions !== t.vector.length) {
      throw new InvalidError({
        field: field('vector'),
        reason: `${t.model} templates have ${dimensions} dimensions`,
      });
    }
    if (!normalised(Float32Array.from(t.vector))) {
      throw new InvalidError({ field: field('vector'), reason: 'must not be all zero' });
    }
  }

  /** A subject on a face watchlist of the scope, with its templates, marked and audited. */
  async enrol(
    m: EntityManager,
    scope: RegionScope,
    actor: Principal,
    watchlistId: string,
    fields: EnrolSubjectDto,
  ): Promise<FaceEntryView> {
    const list = await this.changes.listOf(m, scope, watchlistId, 'face');
    const entry = await this.entries.insert(m, {
      id: randomUUID(),
      watchlistId: list.id,
      regionCode: list.regionCode,
      subjectRef: fields.subjectRef,
      legalBasis: fields.legalBasis,
      owner: fields.owner,
      scopeRegions: checkMatchScope(scope, list.regionCode, fields.national ? 'national' : fields.regions),
      expiresAt: fields.expiresAt,
      createdBy: actor.subject,
    });
    const templates: TemplateInfo[] = [];
    for (const t of fields.templates) templates.push(await this.store(m, entry, t, actor));
    await this.changes.changed(m, 'face-entry', [entry.id]);
    await this.changes.recordEntry(m, actor, 'create', 'face', entry, 'watchlist administration', {
      templates: templates.length,
    });
    return { ...entry, templates };
  }

  /** One more template of an enrolled subject, marked and audited. */
  async addTemplate(
    m: EntityManager,
    actor: Principal,
    entry: FaceEntry,
    t: EnrolTemplateDto,
  ): Promise<TemplateInfo> {
    const info = await this.store(m, entry, t, actor);
    await this.changes.changed(m, 'face-entry', [entry.id]);
    await this.changes.recordEntry(m, actor, 'update', 'face', entry, 'watchlist administration', {
      enrolledTemplate: info.id,
    });
    return info;
  }

  /** The subject, unless it does not exist or lies outside the scope (answered alike). */
  async entryOf(m: EntityManager, scope: RegionScope, id: string): Promise<FaceEntry> {
    const entry = await this.entries.find(m, regionsOf(scope), id);
    if (!entry) throw new NotFoundError(`watchlist subject ${id} not found`);
    return entry;
  }

  private store(m: EntityManager, entry: FaceEntry, t: EnrolTemplateDto, actor: Principal) {
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
}
