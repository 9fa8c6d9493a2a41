import { Injectable } from '@nestjs/common';
import { Outbox } from '@safecity/messaging';
import type { Principal } from '@safecity/security';
import { UnprocessableFieldException } from '@safecity/service-kit';
import type { EntityManager } from 'typeorm';
import { addressKey } from '../domain/address';
import { scopeIncluding } from '../domain/region-of-caller';
import { isPersonalSubject } from '../domain/vocabulary';
import { CaseAudit } from './case-audit';
import { CaseChanges, checkAssessment } from './case-changes';
import { caseChangedEvent, ChangeKind } from './case-events';
import { caseView, type CaseView } from './case-view';
import type { OpenCaseDto } from './case.dto';
import { CasesRepository, type CaseRow } from './cases.repository';
import { RegionAccess } from '@safecity/security';

const DEFAULT_REVIEW_DAYS = 90;

/** Where a case came from when it was not opened from scratch. */
export interface CaseOrigin {
  suggestionId: string;
  triggeredAt: Date;
  /** Runs in the opening transaction, after the case exists (marks the suggestion decided). */
  onOpened(manager: EntityManager, caseId: string): Promise<void>;
}

/**
 * Opening a case, from scratch or from a suggestion an officer accepted: the subject (new or
 * known), the case, its first assessment, the timeline, the event and the audit records in one
 * transaction.
 */
@Injectable()
export class CaseOpening {
  constructor(
    private readonly cases: CasesRepository,
    private readonly changes: CaseChanges,
    private readonly access: RegionAccess,
    private readonly outbox: Outbox,
    private readonly audit: CaseAudit,
  ) {}

  /**
   * The answer shows a known person's or family's data, and the free text about them, only when
   * the caller states why (`purpose`); that read is audited with it.
   */
  async open(dto: OpenCaseDto, actor: Principal, origin?: CaseOrigin, purpose?: string): Promise<CaseView> {
    const scope = scopeIncluding(actor, dto.regionCode);
    if (!!dto.subject === !!dto.subjectId) {
      throw new UnprocessableFieldException(
        'subject',
        'give either a new subject or the subjectId of a known one',
      );
    }
    if (dto.riskAssessment) checkAssessment(dto.riskAssessment);
    const agencies = [...new Set([dto.ownerAgency, ...(dto.agencies ?? [])])];
    return this.access.run(scope, async (m) => {
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
      if (dto.riskAssessment) row = await this.changes.applyAssessment(m, row, dto.riskAssessment, actor);
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
      await this.audit.caseChanged(m, actor, 'create', row, { number });
      if (personal && dto.subject) {
        await this.audit.subjectCreated(m, actor, row, subjectId as string);
        // The caller has just written what the answer shows.
        return caseView(details, new Date(), true);
      }
      const stated = purpose?.trim();
      if (personal && stated) {
        await this.audit.subjectRead(m, actor, row, subjectId as string, stated, 'case');
        return caseView(details, new Date(), true);
      }
      // A known person or family without a purpose: linked by reference, nothing of them shown.
      return caseView(details, new Date(), !personal);
    });
  }
}
