import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { Outbox } from '@safecity/messaging';
import { AuditLog, PURPOSE_HEADER, RegionScope, UseCase, type Principal } from '@safecity/security';
import { PREVENTION_POLICIES as P } from '../prevention.policies';
import {
  ConflictFieldException,
  decodeCursor,
  encodeCursor,
  UnprocessableFieldException,
  type Page,
} from '@safecity/service-kit';
import type { EntityManager } from 'typeorm';
import { RegionAccess } from '../access/region-access';
import { addressKey } from '../domain/address';
import { isPersonalSubject, RISK_FACTOR_CATALOGUE, type CaseStatus } from '../domain/vocabulary';
import { addDays, assessmentProblem, transitionProblem } from './case-rules';
import { caseChangedEvent, ChangeKind } from './case-events';
import { caseView, measureView, reviewState, type CaseView } from './case-view';
import type {
  ChangeStatusDto,
  LinkIncidentDto,
  ListCasesQueryDto,
  OpenCaseDto,
  PlanMeasureDto,
  RecordReviewDto,
  RiskAssessmentDto,
  UpdateCaseDto,
  UpdateMeasureDto,
} from './case.dto';
import { CasesRepository, type CaseDetails, type CaseRow } from './cases.repository';

/** Audit object type of subjects: personal data for people and families. */
export const SUBJECT_OBJECT = 'prevention-subject';
export const CASE_OBJECT = 'prevention-case';
const CASE_WORK = 'prevention case management';
const DEFAULT_REVIEW_DAYS = 90;

/** Where a case came from when it was not opened from scratch. */
export interface CaseOrigin {
  suggestionId: string;
  triggeredAt: Date;
  /** Runs in the opening transaction, after the case exists (marks the suggestion decided). */
  onOpened(manager: EntityManager, caseId: string): Promise<void>;
}

/**
 * Prevention cases: opening, the professional's risk assessment, status, reviews and measures.
 * Every change is one transaction holding the change, its PreventionCaseChanged event and its
 * audit record.
 */
@Injectable()
export class CasesService {
  constructor(
    private readonly cases: CasesRepository,
    private readonly access: RegionAccess,
    private readonly outbox: Outbox,
    private readonly auditLog: AuditLog,
  ) {}

  @UseCase(P.openCase)
  /**
   * Opens a case about a new subject, or a known one (`subjectId`). The answer shows a known
   * person's or family's data, and the free text about them, only when the caller states why
   * (`purpose`, from `X-Purpose`); that read is audited with it.
   */
  async open(dto: OpenCaseDto, actor: Principal, origin?: CaseOrigin, purpose?: string): Promise<CaseView> {
    const scope = RegionScope.of(actor);
    if (!scope.includes(dto.regionCode)) {
      throw new UnprocessableFieldException('regionCode', `region ${dto.regionCode} is outside your regions`);
    }
    if (!!dto.subject === !!dto.subjectId) {
      throw new UnprocessableFieldException(
        'subject',
        'give either a new subject or the subjectId of a known one',
      );
    }
    if (dto.riskAssessment) this.checkAssessment(dto.riskAssessment);
    const agencies = [...new Set([dto.ownerAgency, ...(dto.agencies ?? [])])];
    return this.outbox.transaction(async (tx) => {
      const m = await this.access.enter(tx, scope);
      let subjectId = dto.subjectId;
      let personal: boolean;
      if (dto.subject) {
        const s = dto.subject;
        if (s.birthDate && s.kind !== 'person') {
          throw new UnprocessableFieldException('subject.birthDate', 'only a person has a birth date');
        }
        subjectId = await this.cases.insertSubject(m, {
          regionCode: dto.regionCode,
          kind: s.kind,
          name: s.name,
          identifier: s.identifier ?? null,
          birthDate: s.birthDate ?? null,
          address: s.address ?? null,
          addressKey: addressKey(s.address),
          lat: s.location?.lat ?? null,
          lon: s.location?.lon ?? null,
          notes: s.notes ?? null,
        });
        personal = isPersonalSubject(s.kind);
      } else {
        const known = await this.cases.findSubject(m, dto.subjectId as string, scope);
        if (!known || known.regionCode !== dto.regionCode || known.erasedAt) {
          throw new UnprocessableFieldException(
            'subjectId',
            `no subject ${dto.subjectId} in region ${dto.regionCode}`,
          );
        }
        personal = isPersonalSubject(known.kind);
      }
      const number = await this.cases.nextNumber(m, dto.regionCode, new Date().getUTCFullYear());
      const caseId = await this.cases.insertCase(m, {
        number,
        regionCode: dto.regionCode,
        districtCode: dto.districtCode ?? null,
        subjectId: subjectId as string,
        category: dto.category,
        legalBasis: dto.legalBasis,
        ownerAgency: dto.ownerAgency,
        responsibleOfficer: dto.responsibleOfficer,
        agencies,
        reviewIntervalDays: dto.reviewIntervalDays ?? DEFAULT_REVIEW_DAYS,
        triggeredAt: origin?.triggeredAt ?? null,
        suggestionId: origin?.suggestionId ?? null,
        openedBy: actor.subject,
      });
      let row = (await this.cases.findCase(m, caseId, scope)) as CaseRow;
      if (dto.riskAssessment) row = await this.applyAssessment(m, row, dto.riskAssessment, actor);
      await this.cases.addTimeline(m, row, {
        kind: 'opened',
        actor: actor.subject,
        details: origin ? { suggestionId: origin.suggestionId } : {},
      });
      await origin?.onOpened(m, caseId);
      const details = await this.cases.details(m, row);
      await this.outbox.add(
        m,
        caseChangedEvent(ChangeKind.PREVENTION_CASE_CHANGE_KIND_OPENED, details, actor, 'open'),
      );
      await this.audit(m, actor, 'create', row, { number });
      if (personal && dto.subject) {
        await this.auditLog.record(m, {
          actor,
          action: 'create',
          objectType: SUBJECT_OBJECT,
          objectId: subjectId as string,
          regionCode: row.regionCode,
          purpose: 'opening a prevention case',
          legalBasis: row.legalBasis,
          details: { caseId },
        });
        // The caller has just written what the answer shows.
        return caseView(details, new Date(), true);
      }
      const stated = purpose?.trim();
      if (personal && stated) {
        await this.auditPersonalRead(m, actor, row, subjectId as string, stated, 'case');
        return caseView(details, new Date(), true);
      }
      // A known person or family without a purpose: linked by reference, nothing of them shown.
      return caseView(details, new Date(), !personal);
    });
  }

  /**
   * The case with its subject. Reading a person's or family's data needs a purpose, which goes
   * into the audit log with the read; the read and its record commit together.
   */
  @UseCase(P.getCase)
  async get(id: string, actor: Principal, purpose: string | undefined): Promise<CaseView> {
    const scope = RegionScope.of(actor);
    return this.access.run(scope, async (m) => {
      const row = await this.cases.findCase(m, id, scope);
      if (!row) throw new NotFoundException(`case ${id} not found`);
      const details = await this.cases.details(m, row);
      const personal = isPersonalSubject(details.subject.kind) && !details.subject.erasedAt;
      if (personal) await this.auditPersonalRead(m, actor, row, details.subject.id, purpose, 'case');
      return caseView(details, new Date(), personal);
    });
  }

  /** Cases without their subjects' personal data (people and families by reference only). */
  @UseCase(P.listCases)
  async list(query: ListCasesQueryDto, actor: Principal): Promise<Page<Record<string, unknown>>> {
    const scope = RegionScope.of(actor);
    const limit = query.limit ?? 50;
    const after = decodeCursor(query.cursor, { openedAt: 'timestamp', id: 'uuid' });
    return this.access.run(scope, async (m) => {
      const rows = await this.cases.list(m, { ...query, after, limit: limit + 1 }, scope);
      const page = rows.slice(0, limit);
      const measures = await this.cases.measuresOf(
        m,
        page.map((r) => r.id),
      );
      const now = new Date();
      const items = page.map((row) => {
        const own = measures.filter((x) => x.caseId === row.id).map((x) => measureView(x, now));
        return {
          id: row.id,
          number: row.number,
          regionCode: row.regionCode,
          districtCode: row.districtCode,
          subject: { id: row.subjectId, kind: row.subjectKind },
          category: row.category,
          riskLevel: row.riskLevel,
          status: row.status,
          outcome: row.outcome,
          ownerAgency: row.ownerAgency,
          responsibleOfficer: row.responsibleOfficer,
          agencies: row.agencies,
          ...reviewState(row, now),
          measuresTotal: own.length,
          overdueMeasures: own.filter((x) => x.overdue).length,
          openedAt: row.openedAt,
          closedAt: row.closedAt,
          version: row.version,
        };
      });
      const last = page[page.length - 1];
      return {
        items,
        nextCursor:
          rows.length > limit && last
            ? encodeCursor({ openedAt: last.openedAt.toISOString(), id: last.id })
            : null,
      };
    });
  }

  @UseCase(P.steerCase)
  update(id: string, dto: UpdateCaseDto, actor: Principal, purpose?: string): Promise<CaseView> {
    return this.change(
      id,
      actor,
      async (m, row) => {
        if (row.status === 'closed')
          throw new UnprocessableFieldException('status', 'a closed case cannot be changed');
        const changes: Partial<CaseRow> = {};
        for (const key of [
          'districtCode',
          'category',
          'legalBasis',
          'ownerAgency',
          'responsibleOfficer',
        ] as const) {
          if (dto[key] !== undefined) (changes as Record<string, unknown>)[key] = dto[key];
        }
        if (dto.agencies || dto.ownerAgency) {
          changes.agencies = [
            ...new Set([dto.ownerAgency ?? row.ownerAgency, ...(dto.agencies ?? row.agencies)]),
          ];
        }
        if (dto.reviewIntervalDays !== undefined) changes.reviewIntervalDays = dto.reviewIntervalDays;
        if (Object.keys(changes).length === 0)
          throw new UnprocessableFieldException('body', 'nothing to change');
        const updated = await this.cases.updateCase(m, row.id, changes);
        await this.cases.addTimeline(m, updated, {
          kind: 'updated',
          actor: actor.subject,
          details: { fields: Object.keys(changes) },
        });
        return { row: updated, kind: ChangeKind.PREVENTION_CASE_CHANGE_KIND_UPDATED };
      },
      purpose,
    );
  }

  @UseCase(P.workOnCase)
  assessRisk(id: string, dto: RiskAssessmentDto, actor: Principal, purpose?: string): Promise<CaseView> {
    this.checkAssessment(dto);
    return this.change(
      id,
      actor,
      async (m, row) => {
        if (row.status === 'closed')
          throw new UnprocessableFieldException('status', 'a closed case cannot be changed');
        const updated = await this.applyAssessment(m, row, dto, actor);
        return { row: updated, kind: ChangeKind.PREVENTION_CASE_CHANGE_KIND_UPDATED };
      },
      purpose,
    );
  }

  @UseCase(P.steerCase)
  changeStatus(id: string, dto: ChangeStatusDto, actor: Principal, purpose?: string): Promise<CaseView> {
    return this.change(
      id,
      actor,
      async (m, row) => {
        const problem = transitionProblem(row.status, dto.status, {
          riskLevel: row.riskLevel,
          outcome: dto.outcome,
        });
        if (problem) throw new UnprocessableFieldException(problem.field, problem.reason);
        const closing = dto.status === 'closed';
        const updated = await this.cases.updateCase(m, row.id, {
          status: dto.status,
          ...(closing
            ? { outcome: dto.outcome, closedAt: new Date(), reviewFlaggedAt: null, reviewFlagReason: null }
            : {}),
        });
        await this.cases.addTimeline(m, updated, {
          kind: 'status-changed',
          actor: actor.subject,
          details: { from: row.status, to: dto.status, outcome: dto.outcome ?? null, note: dto.note ?? null },
        });
        return { row: updated, kind: ChangeKind.PREVENTION_CASE_CHANGE_KIND_STATUS_CHANGED };
      },
      purpose,
    );
  }

  /** Records the review that was due (or flagged) and schedules the next one. */
  @UseCase(P.workOnCase)
  recordReview(id: string, dto: RecordReviewDto, actor: Principal, purpose?: string): Promise<CaseView> {
    return this.change(
      id,
      actor,
      async (m, row) => {
        if (row.status === 'closed')
          throw new UnprocessableFieldException('status', 'a closed case has no reviews');
        const now = new Date();
        const nextReviewAt = addDays(now, row.reviewIntervalDays);
        await this.cases.insertReview(m, row, {
          dueAt:
            row.reviewFlaggedAt && row.reviewFlaggedAt < row.nextReviewAt
              ? row.reviewFlaggedAt
              : row.nextReviewAt,
          reviewedBy: actor.subject,
          conclusion: dto.conclusion,
          nextReviewAt,
        });
        const updated = await this.cases.updateCase(m, row.id, {
          nextReviewAt,
          reviewFlaggedAt: null,
          reviewFlagReason: null,
        });
        await this.cases.addTimeline(m, updated, {
          kind: 'reviewed',
          actor: actor.subject,
          details: { nextReviewAt },
        });
        return { row: updated, kind: ChangeKind.PREVENTION_CASE_CHANGE_KIND_UPDATED };
      },
      purpose,
    );
  }

  /** The case's timeline; its notes may speak of the person, so a person's or family's needs a purpose. */
  @UseCase(P.readTimeline)
  timeline(id: string, actor: Principal, purpose: string | undefined) {
    const scope = RegionScope.of(actor);
    return this.access.run(scope, async (m) => {
      const row = await this.cases.findCase(m, id, scope);
      if (!row) throw new NotFoundException(`case ${id} not found`);
      const subject = await this.cases.findSubject(m, row.subjectId, scope);
      const entries = await this.cases.timeline(m, id);
      if (subject && isPersonalSubject(subject.kind) && !subject.erasedAt) {
        await this.auditPersonalRead(m, actor, row, subject.id, purpose, 'timeline');
      }
      return entries;
    });
  }

  private async auditPersonalRead(
    m: EntityManager,
    actor: Principal,
    row: CaseRow,
    subjectId: string,
    purpose: string | undefined,
    part: string,
  ) {
    if (!purpose?.trim() || purpose.trim().length < 5) {
      throw new BadRequestException({
        statusCode: 400,
        message: 'request validation failed',
        problems: [
          {
            field: PURPOSE_HEADER,
            reason: "reading a person's or family's case needs a purpose (5 to 300 characters)",
          },
        ],
      });
    }
    await this.auditLog.record(m, {
      actor,
      action: 'read',
      objectType: SUBJECT_OBJECT,
      objectId: subjectId,
      regionCode: row.regionCode,
      purpose: purpose.trim(),
      legalBasis: row.legalBasis,
      details: { caseId: row.id, ...(part === 'case' ? {} : { part }) },
    });
  }

  /**
   * An officer links an incident that involved the case's subject somewhere else (incident events
   * name places, not people, so only a person can tell).
   */
  @UseCase(P.steerCase)
  linkIncident(id: string, dto: LinkIncidentDto, actor: Principal, purpose?: string): Promise<CaseView> {
    return this.change(
      id,
      actor,
      async (m, row) => {
        if (row.status === 'closed')
          throw new UnprocessableFieldException('status', 'a closed case takes no incidents');
        const [incident] = (await m.query(
          'SELECT id, region_code AS "regionCode", occurred_at AS "occurredAt" FROM incidents WHERE id = $1',
          [dto.incidentId],
        )) as { id: string; regionCode: string; occurredAt: Date }[];
        if (!incident || incident.regionCode !== row.regionCode) {
          throw new UnprocessableFieldException(
            'incidentId',
            `no incident ${dto.incidentId} in region ${row.regionCode}`,
          );
        }
        const [linked] = (await m.query(
          `INSERT INTO case_incidents (case_id, incident_id, region_code, occurred_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT DO NOTHING RETURNING 1`,
          [row.id, incident.id, row.regionCode, incident.occurredAt],
        )) as unknown[];
        if (!linked)
          throw new ConflictFieldException('incidentId', 'the incident is already linked to the case');
        await this.cases.addTimeline(m, row, {
          kind: 'incident',
          actor: actor.subject,
          incidentId: incident.id,
          details: { linkedBy: actor.subject, note: dto.note ?? null },
        });
        // An incident involving the subject calls for a review, whoever noticed it.
        const updated = await this.cases.updateCase(m, row.id, {
          reviewFlaggedAt: row.reviewFlaggedAt ?? new Date(),
          reviewFlagReason: `incident ${incident.id} involved the case's subject`,
        });
        return { row: updated, kind: ChangeKind.PREVENTION_CASE_CHANGE_KIND_UPDATED };
      },
      purpose,
    );
  }

  @UseCase(P.workOnCase)
  planMeasure(id: string, dto: PlanMeasureDto, actor: Principal, purpose?: string): Promise<CaseView> {
    return this.change(
      id,
      actor,
      async (m, row) => {
        if (row.status === 'closed')
          throw new UnprocessableFieldException('status', 'a closed case takes no measures');
        const measure = await this.cases.insertMeasure(m, row, {
          kind: dto.kind,
          agencyCode: dto.agencyCode,
          assigneeId: dto.assigneeId,
          description: dto.description ?? null,
          dueAt: new Date(dto.dueAt),
          createdBy: actor.subject,
        });
        await this.cases.addTimeline(m, row, {
          kind: 'measure-planned',
          actor: actor.subject,
          details: { measureId: measure.id, kind: dto.kind },
        });
        const updated = await this.cases.updateCase(m, row.id, {});
        return { row: updated, kind: ChangeKind.PREVENTION_CASE_CHANGE_KIND_MEASURES_CHANGED };
      },
      purpose,
    );
  }

  @UseCase(P.workOnCase)
  updateMeasure(
    id: string,
    measureId: string,
    dto: UpdateMeasureDto,
    actor: Principal,
    purpose?: string,
  ): Promise<CaseView> {
    return this.change(
      id,
      actor,
      async (m, row) => {
        const measure = await this.cases.findMeasure(m, row.id, measureId);
        if (!measure) throw new NotFoundException(`measure ${measureId} not found`);
        if (measure.status === 'done' || measure.status === 'cancelled') {
          throw new UnprocessableFieldException('status', `a ${measure.status} measure cannot be changed`);
        }
        const status = dto.status ?? measure.status;
        const result = dto.result ?? measure.result;
        if (status === 'done' && !result)
          throw new UnprocessableFieldException('result', 'a done measure needs its result');
        const completedAt =
          status === 'done' ? (dto.completedAt ? new Date(dto.completedAt) : new Date()) : null;
        if (completedAt && completedAt.getTime() > Date.now() + 60_000) {
          throw new UnprocessableFieldException('completedAt', 'cannot lie in the future');
        }
        if (dto.completedAt && status !== 'done') {
          throw new UnprocessableFieldException('completedAt', 'only a done measure has a completion time');
        }
        const changed = await this.cases.updateMeasure(m, measure.id, {
          status,
          result,
          completedAt,
          dueAt: dto.dueAt ? new Date(dto.dueAt) : measure.dueAt,
          assigneeId: dto.assigneeId ?? measure.assigneeId,
        });
        await this.cases.addTimeline(m, row, {
          kind: 'measure-updated',
          actor: actor.subject,
          details: {
            measureId,
            status: changed.status,
            onTime: completedAt ? completedAt <= changed.dueAt : null,
          },
        });
        const updated = await this.cases.updateCase(m, row.id, {});
        return { row: updated, kind: ChangeKind.PREVENTION_CASE_CHANGE_KIND_MEASURES_CHANGED };
      },
      purpose,
    );
  }

  @UseCase(P.readDueWork)
  async overdueMeasures(actor: Principal, regionCode?: string) {
    const scope = RegionScope.of(actor);
    const now = new Date();
    const rows = await this.access.run(scope, (m) => this.cases.overdueMeasures(m, scope, regionCode, now));
    return {
      count: rows.length,
      // Across cases: what is due and with whom, not what was written about anyone.
      items: rows.map((r) => {
        const { description: _description, result: _result, ...measure } = measureView(r, now);
        return { ...measure, caseId: r.caseId, regionCode: r.regionCode };
      }),
    };
  }

  @UseCase(P.readDueWork)
  async dueReviews(actor: Principal, regionCode?: string) {
    const scope = RegionScope.of(actor);
    const rows = await this.access.run(scope, (m) => this.cases.dueReviews(m, scope, regionCode, new Date()));
    return { count: rows.length, items: rows };
  }

  private checkAssessment(dto: RiskAssessmentDto) {
    const problem = assessmentProblem(dto);
    if (problem) throw new UnprocessableFieldException(`riskAssessment.${problem.field}`, problem.reason);
  }

  private async applyAssessment(m: EntityManager, row: CaseRow, dto: RiskAssessmentDto, actor: Principal) {
    await this.cases.replaceRiskFactors(
      m,
      row,
      dto.factors.map((code) => ({
        code,
        weight: RISK_FACTOR_CATALOGUE[code].indicates,
        sourceIncidentId: dto.sourceIncidentId ?? null,
      })),
    );
    const updated = await this.cases.updateCase(m, row.id, {
      riskLevel: dto.riskLevel,
      riskRationale: dto.rationale ?? null,
      riskAssessedBy: actor.subject,
      riskAssessedAt: new Date(),
    });
    await this.cases.addTimeline(m, updated, {
      kind: 'risk-assessed',
      actor: actor.subject,
      details: { riskLevel: dto.riskLevel, factors: dto.factors },
    });
    return updated;
  }

  /**
   * One audited, evented change of an existing case in the caller's scope. The answer shows a
   * person's or family's data and the free text about them only with a stated purpose, which the
   * read is audited with, as `get` does.
   */
  private async change(
    id: string,
    actor: Principal,
    work: (m: EntityManager, row: CaseRow) => Promise<{ row: CaseRow; kind: number }>,
    purpose?: string,
  ): Promise<CaseView> {
    const scope = RegionScope.of(actor);
    return this.outbox.transaction(async (tx) => {
      const m = await this.access.enter(tx, scope);
      const before = await this.cases.findCase(m, id, scope, true);
      if (!before) throw new NotFoundException(`case ${id} not found`);
      const { row, kind } = await work(m, before);
      const details: CaseDetails = await this.cases.details(m, row);
      await this.outbox.add(m, caseChangedEvent(kind, details, actor, before.status as CaseStatus));
      await this.audit(m, actor, 'update', row, { change: ChangeKind[kind] });
      const personal = isPersonalSubject(details.subject.kind) && !details.subject.erasedAt;
      const stated = purpose?.trim();
      if (personal && stated) {
        await this.auditPersonalRead(m, actor, row, details.subject.id, stated, 'change');
        return caseView(details, new Date(), true);
      }
      return caseView(details, new Date(), false);
    });
  }

  private audit(
    m: EntityManager,
    actor: Principal,
    action: 'create' | 'update',
    row: CaseRow,
    details: object,
  ) {
    return this.auditLog.record(m, {
      actor,
      action,
      objectType: CASE_OBJECT,
      objectId: row.id,
      regionCode: row.regionCode,
      purpose: CASE_WORK,
      legalBasis: row.legalBasis,
      details: { ...details, version: row.version },
    });
  }
}
