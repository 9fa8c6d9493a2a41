import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { incidents as contract, recognition } from '@safecity/contracts';
import { Outbox } from '@safecity/messaging';
import { AuditLog, RegionScope, ScopedTransaction, UseCase, type Principal } from '@safecity/security';
import { ConflictFieldException, UnprocessableFieldException } from '@safecity/service-kit';
import { DataSource, type EntityManager } from 'typeorm';
import { MatchVerifications } from '../correlation/match-verifications';
import { checkTransition, verificationStep } from '../lifecycle/state-machine';
import { plateHitEvidence, reviewVisualCheck, type VehicleField } from '../lifecycle/visual-check';
import { slaDeadlines } from '../operations/sla-policy';
import { INCIDENTS_SCHEMA } from '../schema';
import { categoryPriority } from './category-priority';
import { INCIDENTS_POLICIES as P } from '../incidents.policies';
import { visibleSourceKinds } from '../live/visibility';
import { CategoryNames, PriorityNames, ResolutionNames, StateNames } from './enum-names';
import { auditFaceMatchReads, type IncidentReader } from './face-match-reads';
import { IncidentChangeLog } from './incident-change-log';
import { IllegalTransitionException } from './incident-errors';
import type { OpenIncidentDto, TransitionDto } from './incident.dto';
import { actorOf, incidentView, sourceView, type IncidentRecord, type SourceRecord } from './incident.model';
import { INCIDENTS_OPTIONS, type IncidentsRules } from './incidents.options';
import { IncidentsRepository, type IncidentFilter, type ListCursor } from './incidents.repository';
import { OperationsCenterDirectory } from '../operations/operations-center.directory';
import { SopDeviations } from '../sop/sop-deviations';
import { UnitsRepository } from '../units/units.repository';

const S = contract.IncidentState;
const K = contract.IncidentChangeKind;

/** A page of incidents asked for, newest first. */
export interface IncidentPageRequest {
  filter: Omit<IncidentFilter, 'visibleKinds'>;
  limit: number;
  after?: ListCursor;
}

/** A page of incidents with their evidence; `next` is where the following page starts. */
export interface IncidentPage {
  incidents: IncidentRecord[];
  sources: Map<string, SourceRecord[]>;
  next: ListCursor | null;
}

export interface TransitionOutcome {
  incident: ReturnType<typeof incidentView>;
  /** Set while a verification waits for further confirmations. */
  verification?: { confirmations: number; required: number };
}

/** Opening, reading and moving incidents through their lifecycle on behalf of people. */
@Injectable()
export class IncidentsService {
  constructor(
    @InjectDataSource(INCIDENTS_SCHEMA) private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
    private readonly repository: IncidentsRepository,
    private readonly changes: IncidentChangeLog,
    private readonly audit: AuditLog,
    @Inject(INCIDENTS_OPTIONS) private readonly rules: IncidentsRules,
    private readonly units: UnitsRepository,
    private readonly sopDeviations: SopDeviations,
    private readonly centers: OperationsCenterDirectory,
    private readonly matchVerifications: MatchVerifications,
  ) {}

  /** Runs `work` in a transaction scoped to `scope`; the outbox relay and live feed wake on commit. */
  inScope<T>(scope: RegionScope, work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.outbox.transaction(async (m) => work((await ScopedTransaction.apply(m, scope)).manager));
  }

  @UseCase(P.openIncident)
  async open(dto: OpenIncidentDto, actor: Principal) {
    const scope = RegionScope.of(actor);
    if (!scope.includes(dto.regionCode)) {
      throw new UnprocessableFieldException('regionCode', `region ${dto.regionCode} is outside your regions`);
    }
    const category = CategoryNames.fromName(dto.category)!;
    const priority = dto.priority ? PriorityNames.fromName(dto.priority)! : categoryPriority(category);
    const now = new Date();
    return this.inScope(scope, async (m) => {
      const incident = await this.repository.insert(m, {
        regionCode: dto.regionCode,
        districtCode: null,
        category,
        priority,
        sourceKind: contract.IncidentSourceKind.INCIDENT_SOURCE_KIND_OPERATOR,
        title: dto.title,
        description: dto.description ?? '',
        lat: dto.location.lat,
        lon: dto.location.lon,
        address: dto.address ?? '',
        cameraId: dto.cameraId ?? null,
        correlationKey: null,
        occurredAt: dto.occurredAt ? new Date(dto.occurredAt) : now,
        confidence: null,
        watchlistPriority: null,
        placeTags: [],
        requiredConfirmations: 1,
        visualCheckRequired: false,
        ...slaDeadlines(this.rules.sla, priority, now, category),
        operationsCenterId:
          this.centers.covering(dto.regionCode, dto.location.lat, dto.location.lon)?.id ?? null,
        openedBy: actor.subject,
      });
      await this.repository.addSource(m, incident.id, {
        kind: contract.IncidentSourceKind.INCIDENT_SOURCE_KIND_OPERATOR,
        refId: `operator:${incident.id}`,
        regionCode: incident.regionCode,
        cameraId: incident.cameraId,
        watchlistId: null,
        watchlistEntryId: null,
        lat: incident.lat,
        lon: incident.lon,
        observedAt: incident.occurredAt,
        confidence: null,
        media: [],
        details: { openedBy: actor.subject },
      });
      const sources = (await this.repository.sourcesOf(m, [incident.id])).get(incident.id) ?? [];
      await this.changes.record(m, [
        {
          kind: K.INCIDENT_CHANGE_KIND_CREATED,
          incident,
          sources,
          actor: actorOf(actor.kind, actor.subject),
        },
      ]);
      await this.audit.record(m, {
        actor,
        action: 'create',
        objectType: 'incident',
        objectId: incident.id,
        regionCode: incident.regionCode,
        details: { category: dto.category, source: 'operator' },
      });
      return incidentView(incident, sources.length);
    });
  }

  /**
   * One incident with its evidence, history and confirmations, for a reader whose roles may see
   * what led to it (others are answered as if it did not exist). A read of an incident with a
   * face match is audited.
   */
  @UseCase(P.getIncident)
  async get(id: string, reader: IncidentReader) {
    const scope = RegionScope.of(reader.actor);
    const kinds = visibleSourceKinds(reader.actor);
    return this.inScope(scope, async (m) => {
      const incident = await this.repository.findById(m, id);
      if (
        !incident ||
        !scope.includes(incident.regionCode) ||
        (kinds && !kinds.includes(incident.sourceKind))
      ) {
        throw new NotFoundException(`incident ${id} not found`);
      }
      const sourcesById = await this.repository.sourcesOf(m, [id]);
      const sources = sourcesById.get(id) ?? [];
      await auditFaceMatchReads(this.audit, m, reader, [incident], sourcesById);
      const history = await this.repository.history(m, id);
      const confirmations = await this.repository.confirmations(m, id);
      return {
        ...incidentView(incident, sources.length),
        sources: sources.map(sourceView),
        history: history.map((entry) => ({
          from: StateNames.toName(entry.from),
          to: StateNames.toName(entry.to),
          actor: entry.actor,
          actorKind: entry.actorKind,
          reason: entry.reason,
          resolution: entry.resolution ? ResolutionNames.toName(entry.resolution) : null,
          at: new Date(entry.at).toISOString(),
        })),
        confirmations: confirmations.map((c) => ({
          ...c,
          confirmedAt: new Date(c.confirmedAt).toISOString(),
        })),
      };
    });
  }

  /**
   * Incidents by id, in the order asked, with their evidence; those the reader may not see are
   * left out. Every one with a face match is a disclosure, audited.
   */
  @UseCase(P.getIncident)
  async getMany(
    ids: readonly string[],
    reader: IncidentReader,
  ): Promise<{ incidents: IncidentRecord[]; sources: Map<string, SourceRecord[]> }> {
    const scope = RegionScope.of(reader.actor);
    const kinds = visibleSourceKinds(reader.actor);
    return this.inScope(scope, async (m) => {
      const rows = (await this.repository.findByIds(m, ids)).filter(
        (i) => scope.includes(i.regionCode) && (kinds === null || kinds.includes(i.sourceKind)),
      );
      const sources = await this.repository.sourcesOf(
        m,
        rows.map((i) => i.id),
      );
      await auditFaceMatchReads(this.audit, m, reader, rows, sources);
      const byId = new Map(rows.map((i) => [i.id, i]));
      return { incidents: ids.flatMap((id) => byId.get(id) ?? []), sources };
    });
  }

  /**
   * A page of the incidents the reader may see, newest first, with their evidence. A list is a
   * disclosure like a read: every face-match incident on the page is audited, in one insert.
   */
  @UseCase(P.listIncidents)
  async list(request: IncidentPageRequest, reader: IncidentReader): Promise<IncidentPage> {
    const scope = RegionScope.of(reader.actor);
    const kinds = visibleSourceKinds(reader.actor);
    return this.inScope(scope, async (m) => {
      const rows = await this.repository.list(
        m,
        { ...request.filter, visibleKinds: kinds ?? undefined },
        scope.all ? null : scope.regions,
        request.limit + 1,
        request.after,
      );
      const incidents = rows.slice(0, request.limit);
      const sources = await this.repository.sourcesOf(
        m,
        incidents.map((i) => i.id),
      );
      await auditFaceMatchReads(this.audit, m, reader, incidents, sources);
      const last = incidents.at(-1);
      return {
        incidents,
        sources,
        next:
          rows.length > request.limit && last
            ? { createdAt: new Date(last.createdAt).toISOString(), id: last.id }
            : null,
      };
    });
  }

  @UseCase(P.transitionIncident)
  async transition(id: string, dto: TransitionDto, actor: Principal): Promise<TransitionOutcome> {
    const scope = RegionScope.of(actor);
    const to = StateNames.fromName(dto.to)!;
    if (to === S.INCIDENT_STATE_VERIFIED) {
      const face = await this.faceMatchAwaitingConfirmation(id, dto, scope);
      if (face) return this.confirmFaceMatch(face, dto, actor);
    }
    return this.inScope(scope, async (m) => {
      const incident = await this.repository.findById(m, id, true);
      if (!incident || !scope.includes(incident.regionCode))
        throw new NotFoundException(`incident ${id} not found`);
      if (dto.expectedVersion !== undefined && dto.expectedVersion !== incident.version) {
        throw new ConflictFieldException(
          'expectedVersion',
          `incident is at version ${incident.version}, not ${dto.expectedVersion}`,
        );
      }
      const check = checkTransition({
        from: incident.state,
        to,
        reason: dto.reason ?? '',
        resolution: dto.resolution ? ResolutionNames.fromName(dto.resolution)! : 0,
      });
      if (!check.ok && check.kind === 'illegal')
        throw new IllegalTransitionException(incident.state, to, check.allowed);
      if (!check.ok) throw new UnprocessableFieldException(check.field, check.message);
      if (to === S.INCIDENT_STATE_DISPATCHED && !dto.unitId) {
        throw new UnprocessableFieldException('unitId', 'dispatching needs the unit sent');
      }

      let vehicleMismatch: VehicleField[] = [];
      if (incident.state === S.INCIDENT_STATE_NEW && to === S.INCIDENT_STATE_VERIFIED) {
        const confirmedBy = (await this.repository.confirmations(m, id)).map((c) => c.actor);
        const step = verificationStep(
          {
            requiredConfirmations: incident.requiredConfirmations,
            visualCheckRequired: incident.visualCheckRequired,
          },
          confirmedBy,
          actor.subject,
          dto.visualCheck,
        );
        if (step.kind === 'visual-check-missing') {
          throw new UnprocessableFieldException(
            'visualCheck',
            `a plate hit is verified only with the operator's visual check of ${step.missing.join(', ')}`,
          );
        }
        if (incident.visualCheckRequired && dto.visualCheck) {
          const plateSources = ((await this.repository.sourcesOf(m, [id])).get(id) ?? []).filter(
            (source) => source.kind === contract.IncidentSourceKind.INCIDENT_SOURCE_KIND_PLATE_MATCH,
          );
          const review = reviewVisualCheck(dto.visualCheck, plateHitEvidence(plateSources), dto.reason);
          if (!review.ok) throw new UnprocessableFieldException(review.field, review.reason);
          vehicleMismatch = review.vehicleMismatch;
        }
        if (step.kind === 'already-confirmed') {
          throw new ConflictFieldException(
            'to',
            `you have already confirmed this incident; ${step.required} different people must confirm it (${step.confirmations} so far)`,
          );
        }
        await this.repository.addConfirmation(m, incident, actor.subject, {
          ...dto.visualCheck,
          comment: dto.reason,
          vehicleMismatch,
        });
        if (step.kind === 'confirmation-recorded') {
          const updated = await this.repository.bumpVersion(m, id);
          const sources = (await this.repository.sourcesOf(m, [id])).get(id) ?? [];
          await this.changes.record(m, [
            {
              kind: K.INCIDENT_CHANGE_KIND_UPDATED,
              incident: updated,
              sources,
              actor: actorOf(actor.kind, actor.subject),
              reason: 'confirmation recorded',
            },
          ]);
          await this.audit.record(m, {
            actor,
            action: 'update',
            objectType: 'incident',
            objectId: id,
            regionCode: incident.regionCode,
            details: { confirmation: step.confirmations, required: step.required },
          });
          return {
            incident: incidentView(updated, sources.length),
            verification: { confirmations: step.confirmations, required: step.required },
          };
        }
      }

      if (to === S.INCIDENT_STATE_DISPATCHED) {
        const unit = await this.units.findById(m, dto.unitId!, true);
        if (!unit || unit.regionCode !== incident.regionCode) {
          throw new UnprocessableFieldException(
            'unitId',
            `no unit ${dto.unitId} in region ${incident.regionCode}`,
          );
        }
        if (unit.status !== 'available') {
          throw new ConflictFieldException(
            'unitId',
            `unit ${unit.callSign} is ${unit.status}, not available`,
          );
        }
        await this.units.update(m, unit.id, { status: 'dispatched', currentIncidentId: id });
      }
      if (to === S.INCIDENT_STATE_ON_SCENE && incident.unitId) {
        await m.query(
          `UPDATE units SET status = 'on-scene', updated_at = now() WHERE id = $1 AND current_incident_id = $2`,
          [incident.unitId, id],
        );
      }
      if (to === S.INCIDENT_STATE_RESOLVED || to === S.INCIDENT_STATE_DISMISSED) {
        await this.units.releaseFrom(m, id);
      }
      if (to === S.INCIDENT_STATE_RESOLVED) {
        await this.sopDeviations.recordSkippedAtResolution(m, incident, actor.subject);
      }
      const updated = await this.repository.applyTransition(
        m,
        id,
        to,
        // Only dismissing, resolving and reopening change the outcome; other steps keep it.
        to === S.INCIDENT_STATE_DISMISSED || to === S.INCIDENT_STATE_RESOLVED || check.reopening
          ? check.resolution
          : incident.resolution,
        to === S.INCIDENT_STATE_DISPATCHED ? { unitId: dto.unitId } : {},
      );
      return {
        incident: await this.finishTransition(
          m,
          incident,
          updated,
          actor,
          dto.reason ?? '',
          vehicleMismatch.length > 0 ? { vehicleMismatch } : {},
        ),
      };
    });
  }

  /**
   * The face match a new face-match incident is verified by: the one that opened it. Null for
   * any other incident or step, which the lifecycle handles itself.
   */
  private async faceMatchAwaitingConfirmation(
    id: string,
    dto: TransitionDto,
    scope: RegionScope,
  ): Promise<{ incident: IncidentRecord; matchId: string } | null> {
    return this.inScope(scope, async (m) => {
      const incident = await this.repository.findById(m, id);
      if (!incident || !scope.includes(incident.regionCode))
        throw new NotFoundException(`incident ${id} not found`);
      if (
        incident.state !== S.INCIDENT_STATE_NEW ||
        incident.sourceKind !== contract.IncidentSourceKind.INCIDENT_SOURCE_KIND_FACE_MATCH
      ) {
        return null;
      }
      if (dto.expectedVersion !== undefined && dto.expectedVersion !== incident.version) {
        throw new ConflictFieldException(
          'expectedVersion',
          `incident is at version ${incident.version}, not ${dto.expectedVersion}`,
        );
      }
      const faces = ((await this.repository.sourcesOf(m, [id])).get(id) ?? [])
        .filter((s) => s.kind === contract.IncidentSourceKind.INCIDENT_SOURCE_KIND_FACE_MATCH)
        .sort((a, b) => new Date(a.addedAt).getTime() - new Date(b.addedAt).getTime());
      return faces[0] ? { incident, matchId: faces[0].refId } : null;
    });
  }

  /**
   * A person's confirmation of a face-match incident is their confirmation of its match, given in
   * recognition (outside this transaction: a remote call holds no lock here). The incident then
   * takes the match's status: verified once two different people confirmed the match, wherever
   * each did; the same person twice is refused there. Should this transaction fail after
   * recognition recorded the confirmation, the match's status event brings the incident along.
   */
  private async confirmFaceMatch(
    face: { incident: IncidentRecord; matchId: string },
    dto: TransitionDto,
    actor: Principal,
  ): Promise<TransitionOutcome> {
    const verdict = await this.matchVerifications.confirm(face.matchId, actor, dto.reason ?? '');
    const confirmed = verdict.status === recognition.MatchStatus.MATCH_STATUS_CONFIRMED;
    return this.inScope(RegionScope.of(actor), async (m) => {
      const incident = (await this.repository.findById(m, face.incident.id, true))!;
      await this.repository.addConfirmation(m, incident, actor.subject, { comment: dto.reason });
      if (confirmed && incident.state === S.INCIDENT_STATE_NEW) {
        const verified = await this.repository.applyTransition(
          m,
          incident.id,
          S.INCIDENT_STATE_VERIFIED,
          incident.resolution,
        );
        return {
          incident: await this.finishTransition(m, incident, verified, actor, dto.reason ?? ''),
        };
      }
      if (confirmed) {
        const sources = (await this.repository.sourcesOf(m, [incident.id])).get(incident.id) ?? [];
        return { incident: incidentView(incident, sources.length) };
      }
      const updated = await this.repository.bumpVersion(m, incident.id);
      const sources = (await this.repository.sourcesOf(m, [incident.id])).get(incident.id) ?? [];
      await this.changes.record(m, [
        {
          kind: K.INCIDENT_CHANGE_KIND_UPDATED,
          incident: updated,
          sources,
          actor: actorOf(actor.kind, actor.subject),
          reason: 'confirmation recorded',
        },
      ]);
      await this.audit.record(m, {
        actor,
        action: 'update',
        objectType: 'incident',
        objectId: incident.id,
        regionCode: incident.regionCode,
        details: {
          matchId: face.matchId,
          confirmation: verdict.confirmations,
          required: verdict.requiredConfirmations,
        },
      });
      return {
        incident: incidentView(updated, sources.length),
        verification: { confirmations: verdict.confirmations, required: verdict.requiredConfirmations },
      };
    });
  }

  /** History, change feed, outbox and audit of a transition that has been applied. */
  async finishTransition(
    m: EntityManager,
    before: IncidentRecord,
    after: IncidentRecord,
    actor: Principal,
    reason: string,
    auditDetails: Record<string, unknown> = {},
  ) {
    await this.repository.recordHistory(m, {
      incidentId: after.id,
      regionCode: after.regionCode,
      from: before.state,
      to: after.state,
      actorSubject: actor.subject,
      actorKind: actor.kind,
      reason,
      resolution: after.resolution,
    });
    const sources = (await this.repository.sourcesOf(m, [after.id])).get(after.id) ?? [];
    await this.changes.record(m, [
      {
        kind: K.INCIDENT_CHANGE_KIND_STATE_CHANGED,
        incident: after,
        sources,
        previousState: before.state,
        actor: actorOf(actor.kind, actor.subject),
        reason,
      },
    ]);
    await this.audit.record(m, {
      actor,
      action: 'update',
      objectType: 'incident',
      objectId: after.id,
      regionCode: after.regionCode,
      details: {
        from: StateNames.toName(before.state),
        to: StateNames.toName(after.state),
        reason,
        resolution: after.resolution ? ResolutionNames.toName(after.resolution) : null,
        ...auditDetails,
      },
    });
    return incidentView(after, sources.length);
  }
}
