import { randomUUID } from 'node:crypto';
import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { incidents as contract } from '@safecity/contracts';
import { AuditLog, isRegionCode, RegionScope, UseCase, type Principal } from '@safecity/security';
import { UnprocessableFieldException } from '@safecity/service-kit';
import type { EntityManager } from 'typeorm';
import { INCIDENTS_POLICIES as P } from '../incidents.policies';
import { CategoryNames } from '../incidents/enum-names';
import { IncidentChangeLog } from '../incidents/incident-change-log';
import { actorOf } from '../incidents/incident.model';
import { IncidentsRepository } from '../incidents/incidents.repository';
import { IncidentsService } from '../incidents/incidents.service';
import { stepCompletion, type SopStep } from './checklist';
import { SOP_COLUMNS, SopDeviations, type SopRow } from './sop-deviations';
import type { SopDto } from './sop.dto';

export interface Sop {
  id: string;
  category: string;
  /** Null for the national checklist; the region whose own version this is otherwise. */
  regionCode: string | null;
  version: number;
  steps: SopStep[];
  editedBy: string;
  editedAt: string;
}

const toSop = (row: SopRow): Sop => ({
  ...row,
  category: CategoryNames.toName(row.category),
  editedAt: new Date(row.editedAt).toISOString(),
});

/**
 * Standard operating procedures: a versioned checklist per incident category. The national one is
 * edited by national roles; a region may keep its own version, which its incidents get instead.
 * An incident keeps the version in force when it opened; steps done out of order, and steps never
 * done by resolution, are recorded as deviations for supervisors to see.
 */

/** An incident's checklist (null when its category has none), what is done and its deviations. */
export interface SopProgress {
  sop: { id: string; version: number } | null;
  steps: (SopStep & { done: { by: string; at: string; note: string } | null })[];
  deviations: Pick<SopDeviationEntry, 'stepId' | 'kind' | 'actor' | 'at'>[];
}

/** A step done out of order, or never done by resolution, on an incident's checklist. */
export interface SopDeviationEntry {
  incidentId: string;
  number: string;
  regionCode: string;
  sopVersion: number;
  stepId: string;
  kind: 'out-of-order' | 'skipped';
  actor: string;
  at: Date;
}

@Injectable()
export class SopsService {
  constructor(
    private readonly incidents: IncidentsService,
    private readonly repository: IncidentsRepository,
    private readonly changes: IncidentChangeLog,
    private readonly audit: AuditLog,
    private readonly deviationLog: SopDeviations,
  ) {}

  /** A new version of the national checklist: every region without its own gets it from now on. */
  @UseCase(P.publishNationalSop)
  async publishNational(categoryName: string, dto: SopDto, editor: Principal): Promise<Sop> {
    return this.publish(categoryName, null, dto, editor);
  }

  /** A new version of a region's own checklist: only that region's new incidents get it. */
  @UseCase(P.publishRegionalSop)
  async publishRegional(
    categoryName: string,
    regionCode: string,
    dto: SopDto,
    editor: Principal,
  ): Promise<Sop> {
    this.regionInScope(regionCode, RegionScope.of(editor));
    return this.publish(categoryName, regionCode, dto, editor);
  }

  /** The national checklist of a category, as it now stands. */
  @UseCase(P.readNationalSop)
  async current(categoryName: string, _reader: Principal): Promise<Sop> {
    return this.latest(categoryName, null);
  }

  /** The checklist a region's new incidents of the category get: its own, or else the national one. */
  @UseCase(P.readRegionalSop)
  async currentIn(categoryName: string, regionCode: string, reader: Principal): Promise<Sop> {
    this.regionInScope(regionCode, RegionScope.of(reader));
    return this.latest(categoryName, regionCode);
  }

  private async publish(
    categoryName: string,
    regionCode: string | null,
    dto: SopDto,
    editor: Principal,
  ): Promise<Sop> {
    const category = this.category(categoryName);
    const ids = dto.steps.map((s) => s.id);
    if (new Set(ids).size !== ids.length)
      throw new UnprocessableFieldException('steps', 'step ids must be unique');
    // Checklists have no row-level security: the national one is every region's.
    return this.incidents.inScope(RegionScope.allRegions(), async (m) => {
      await m.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`sop:${category}:${regionCode ?? '*'}`]);
      const [row] = (await m.query(
        `INSERT INTO sops (id, category, region_code, version, steps, edited_by)
         SELECT $1, $2, $5::text, coalesce(max(version), 0) + 1, $3::jsonb, $4 FROM sops
          WHERE category = $2 AND region_code IS NOT DISTINCT FROM $5::text
         RETURNING ${SOP_COLUMNS}`,
        [
          randomUUID(),
          category,
          JSON.stringify(dto.steps.map((s) => ({ id: s.id, title: s.title }))),
          editor.subject,
          regionCode,
        ],
      )) as SopRow[];
      await this.audit.record(m, {
        actor: editor,
        action: 'update',
        objectType: 'sop',
        objectId: row.id,
        regionCode,
        details: {
          category: categoryName,
          scope: regionCode === null ? 'national' : 'regional',
          version: row.version,
          steps: ids,
        },
      });
      return toSop(row);
    });
  }

  private async latest(categoryName: string, regionCode: string | null): Promise<Sop> {
    const category = this.category(categoryName);
    const [row] = (await this.incidents.inScope(RegionScope.allRegions(), (m) =>
      m.query(
        `SELECT ${SOP_COLUMNS} FROM sops
          WHERE category = $1 AND (region_code IS NULL OR region_code = $2::text)
          ORDER BY region_code IS NULL, version DESC LIMIT 1`,
        [category, regionCode],
      ),
    )) as SopRow[];
    if (!row) throw new NotFoundException(`no SOP for ${categoryName}`);
    return toSop(row);
  }

  /** Another region, or none at all, is answered as missing. */
  private regionInScope(regionCode: string, scope: RegionScope): void {
    if (!isRegionCode(regionCode) || !scope.includes(regionCode)) {
      throw new NotFoundException(`region ${regionCode} not found`);
    }
  }

  /** The incident's checklist with what is done, and its deviations. */
  @UseCase(P.readIncidentSop)
  async progress(incidentId: string, scope: RegionScope): Promise<SopProgress> {
    return this.incidents.inScope(scope, async (m) => {
      const incident = await this.incidentInScope(m, incidentId, scope);
      if (!incident.sopId) return { sop: null, steps: [], deviations: [] };
      const sop = await this.deviationLog.sopOf(m, incident.sopId);
      const done = await this.deviationLog.doneSteps(m, incidentId);
      const deviations = (await m.query(
        `SELECT step_id AS "stepId", kind, actor, at FROM sop_deviations WHERE incident_id = $1 ORDER BY id`,
        [incidentId],
      )) as Pick<SopDeviationEntry, 'stepId' | 'kind' | 'actor' | 'at'>[];
      return {
        sop: { id: sop.id, version: sop.version },
        steps: sop.steps.map((step) => ({ ...step, done: done.get(step.id) ?? null })),
        deviations,
      };
    });
  }

  @UseCase(P.completeSopStep)
  async completeStep(incidentId: string, stepId: string, note: string, actor: Principal) {
    const scope = RegionScope.of(actor);
    return this.incidents.inScope(scope, async (m) => {
      const incident = await this.incidentInScope(m, incidentId, scope, true);
      if (!incident.sopId || incident.sopVersion === null) {
        throw new UnprocessableFieldException('stepId', 'this incident has no SOP checklist');
      }
      const sop = await this.deviationLog.sopOf(m, incident.sopId);
      const done = await this.deviationLog.doneSteps(m, incidentId);
      const completion = stepCompletion(sop.steps, new Set(done.keys()), stepId);
      if (completion.kind === 'unknown-step')
        throw new NotFoundException(`no step ${stepId} in this checklist`);
      if (completion.kind === 'already-done') throw new ConflictException(`step ${stepId} is already done`);
      await m.query(
        `INSERT INTO incident_sop_steps (incident_id, step_id, region_code, done_by, note) VALUES ($1, $2, $3, $4, $5)`,
        [incidentId, stepId, incident.regionCode, actor.subject, note],
      );
      if (completion.kind === 'out-of-order')
        await this.deviationLog.record(m, incident, [stepId], 'out-of-order', actor.subject);
      const updated = await this.repository.bumpVersion(m, incidentId);
      const sources = (await this.repository.sourcesOf(m, [incidentId])).get(incidentId) ?? [];
      await this.changes.record(m, [
        {
          kind: contract.IncidentChangeKind.INCIDENT_CHANGE_KIND_UPDATED,
          incident: updated,
          sources,
          actor: actorOf(actor.kind, actor.subject),
          reason: `SOP step ${stepId} done`,
        },
      ]);
      return {
        stepId,
        deviation: completion.kind === 'out-of-order' ? { skipped: completion.skipped } : null,
      };
    });
  }

  /** Deviations for supervisors, newest first. */
  async deviations(scope: RegionScope, limit = 100): Promise<SopDeviationEntry[]> {
    return this.incidents.inScope(scope, (m) =>
      m.query(
        `SELECT d.incident_id AS "incidentId", i.number, d.region_code AS "regionCode", d.sop_version AS "sopVersion",
                d.step_id AS "stepId", d.kind, d.actor, d.at
           FROM sop_deviations d JOIN incidents i ON i.id = d.incident_id
          WHERE ($1::text[] IS NULL OR d.region_code = ANY($1::text[]))
          ORDER BY d.at DESC, d.id DESC LIMIT $2`,
        [scope.all ? null : [...scope.regions], limit],
      ),
    );
  }

  private async incidentInScope(m: EntityManager, id: string, scope: RegionScope, forUpdate = false) {
    const incident = await this.repository.findById(m, id, forUpdate);
    if (!incident || !scope.includes(incident.regionCode))
      throw new NotFoundException(`incident ${id} not found`);
    return incident;
  }

  private category(name: string): number {
    const category = CategoryNames.fromName(name);
    if (category === undefined) throw new NotFoundException(`no incident category ${name}`);
    return category;
  }
}
