import { createHash } from 'node:crypto';
import type { PrincipalKind } from '../principal';
import { canonicalJson, type JsonValue } from './canonical-json';

export const AUDIT_ACTIONS = ['create', 'read', 'update', 'disclose', 'erase'] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** Actions that always need a purpose and a legal basis, whatever the object. */
export const ACTIONS_NEEDING_PURPOSE: readonly AuditAction[] = ['read', 'disclose', 'erase'];

/** `prev_hash` of the first record of a chain. */
export const GENESIS_HASH = '0'.repeat(64);

export const DEFAULT_AUDIT_TABLE = 'audit_log';

/** One row of the audit log. */
export interface AuditRecord {
  /** Position in the chain: 1, 2, 3, ... without gaps. */
  seq: number;
  id: string;
  recordedAt: Date;
  actorSubject: string;
  actorKind: PrincipalKind;
  actorRoles: string[];
  regionCode: string | null;
  action: AuditAction;
  objectType: string;
  objectId: string;
  purpose: string | null;
  legalBasis: string | null;
  details: { [key: string]: JsonValue };
  prevHash: string;
  hash: string;
}

/**
 * `sha256(prev_hash + canonical JSON of every other field)`, hex. The seq is part of it, so moving
 * a record to another position breaks its hash as well as the links around it.
 */
export function auditRecordHash(prevHash: string, record: Omit<AuditRecord, 'prevHash' | 'hash'>): string {
  const body = canonicalJson({
    seq: String(record.seq),
    id: record.id,
    recordedAt: record.recordedAt.toISOString(),
    actorSubject: record.actorSubject,
    actorKind: record.actorKind,
    actorRoles: record.actorRoles,
    regionCode: record.regionCode,
    action: record.action,
    objectType: record.objectType,
    objectId: record.objectId,
    purpose: record.purpose,
    legalBasis: record.legalBasis,
    details: record.details,
  });
  return createHash('sha256')
    .update(prevHash + body, 'utf8')
    .digest('hex');
}

/** A row as `SELECT *` returns it through pg. */
export interface AuditRow {
  seq: string | number;
  id: string;
  recorded_at: Date;
  actor_subject: string;
  actor_kind: PrincipalKind;
  actor_roles: string[];
  region_code: string | null;
  action: AuditAction;
  object_type: string;
  object_id: string;
  purpose: string | null;
  legal_basis: string | null;
  details: { [key: string]: JsonValue };
  prev_hash: string;
  hash: string;
}

export function fromAuditRow(row: AuditRow): AuditRecord {
  return {
    seq: Number(row.seq),
    id: row.id,
    recordedAt: row.recorded_at,
    actorSubject: row.actor_subject,
    actorKind: row.actor_kind,
    actorRoles: row.actor_roles,
    regionCode: row.region_code,
    action: row.action,
    objectType: row.object_type,
    objectId: row.object_id,
    purpose: row.purpose,
    legalBasis: row.legal_basis,
    details: row.details,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}
