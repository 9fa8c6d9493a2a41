import { Injectable } from '@nestjs/common';
import { AuditLog, PURPOSE_HEADER, type AuditActor } from '@safecity/security';
import { InvalidError } from '@safecity/service-kit';
import type { EntityManager } from 'typeorm';
import type { CaseRow } from './cases.repository';

/** Audit object type of subjects: personal data for people and families. */
export const SUBJECT_OBJECT = 'prevention-subject';
export const CASE_OBJECT = 'prevention-case';
const CASE_WORK = 'prevention case management';
/** Shortest purpose that says anything (the longest is the header's own limit). */
const MIN_PURPOSE_LENGTH = 5;

/** The stated purpose, or a refusal naming `X-Purpose` when there is none worth recording. */
export function requiredPurpose(purpose: string | undefined, reason: string): string {
  const stated = purpose?.trim();
  if (!stated || stated.length < MIN_PURPOSE_LENGTH) {
    throw new InvalidError({ field: PURPOSE_HEADER, reason }, { malformed: true });
  }
  return stated;
}

/**
 * What prevention writes into its audit log beside a case's change or read, in the transaction
 * of that change or read.
 */
@Injectable()
export class CaseAudit {
  constructor(private readonly auditLog: AuditLog) {}

  /** Who changed the case, under the case's legal basis. */
  async caseChanged(
    m: EntityManager,
    actor: AuditActor,
    action: 'create' | 'update',
    row: CaseRow,
    details: object,
  ): Promise<void> {
    await this.auditLog.record(m, {
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

  /** An incident at the case's subject, linked by one of the trigger rules. */
  async incidentLinkedByRule(
    m: EntityManager,
    actor: AuditActor,
    row: CaseRow,
    incidentId: string,
    rule: string,
  ): Promise<void> {
    await this.auditLog.record(m, {
      actor,
      action: 'update',
      objectType: CASE_OBJECT,
      objectId: row.id,
      regionCode: row.regionCode,
      purpose: 'linking an incident to a prevention case',
      legalBasis: row.legalBasis,
      details: { incidentId, rule },
    });
  }

  /** A new person or family written down with the case opened about them. */
  async subjectCreated(m: EntityManager, actor: AuditActor, row: CaseRow, subjectId: string): Promise<void> {
    await this.auditLog.record(m, {
      actor,
      action: 'create',
      objectType: SUBJECT_OBJECT,
      objectId: subjectId,
      regionCode: row.regionCode,
      purpose: 'opening a prevention case',
      legalBasis: row.legalBasis,
      details: { caseId: row.id },
    });
  }

  /**
   * A read of a person's or family's data (`part` of their case), which needs a purpose: refused
   * without one, recorded with it.
   */
  async subjectRead(
    m: EntityManager,
    actor: AuditActor,
    row: CaseRow,
    subjectId: string,
    purpose: string | undefined,
    part: 'case' | 'change' | 'timeline',
  ): Promise<void> {
    const stated = requiredPurpose(
      purpose,
      "reading a person's or family's case needs a purpose (5 to 300 characters)",
    );
    await this.auditLog.record(m, {
      actor,
      action: 'read',
      objectType: SUBJECT_OBJECT,
      objectId: subjectId,
      regionCode: row.regionCode,
      purpose: stated,
      legalBasis: row.legalBasis,
      details: { caseId: row.id, ...(part === 'case' ? {} : { part }) },
    });
  }

  /**
   * A case disclosed to another service (its subject by reference only), recorded with the
   * purpose the caller stated.
   */
  async caseDisclosed(m: EntityManager, actor: AuditActor, row: CaseRow, purpose: string): Promise<void> {
    await this.auditLog.record(m, {
      actor,
      action: 'read',
      objectType: CASE_OBJECT,
      objectId: row.id,
      regionCode: row.regionCode,
      purpose,
      legalBasis: row.legalBasis,
      details: { via: 'grpc' },
    });
  }
}
