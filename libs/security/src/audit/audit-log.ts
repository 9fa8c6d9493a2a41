import { randomUUID } from 'node:crypto';
import {
  AuditAction as AuditActionMessage,
  AuditRecorded,
  common,
  EventTypes,
  Topics,
} from '@safecity/contracts';
import type { OutboundEvent, Outbox } from '@safecity/messaging';
import { preparedQuery } from '@safecity/persistence';
import type { EntityManager } from 'typeorm';
import type { Principal, PrincipalKind } from '../principal';
import { qualified } from '../sql';
import { canonicalJson, toJsonValue, type JsonValue } from './canonical-json';
import {
  ACTIONS_NEEDING_PURPOSE,
  AUDIT_ACTIONS,
  auditRecordHash,
  DEFAULT_AUDIT_TABLE,
  GENESIS_HASH,
  type AuditAction,
  type AuditRecord,
} from './audit-record';

/** Who acted, when it is not an authenticated principal (a job of the service itself). */
export interface AuditActor {
  subject: string;
  kind: PrincipalKind;
  roles: readonly string[];
}

export interface AuditEntry {
  actor: Principal | AuditActor;
  action: AuditAction;
  objectType: string;
  objectId: string;
  /** Region of the object; null for records that span regions. */
  regionCode?: string | null;
  purpose?: string;
  legalBasis?: string;
  /** Identifiers and facts about the action; no personal data beyond identifiers. */
  details?: Record<string, unknown>;
}

export class AuditEntryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuditEntryError';
  }
}

export interface AuditLogOptions {
  /** The service's schema, which holds the audit table. */
  schema: string;
  table?: string;
  /** The service's outbox: records are also published to `safecity.audit.v1`, in the same transaction. */
  outbox?: Pick<Outbox, 'add'> & Partial<Pick<Outbox, 'batchInsert'>>;
  /** Object types holding personal data: every action on them needs a purpose and a legal basis. */
  personalDataTypes?: readonly string[];
}

const MAX_TEXT = 500;

const ACTION_MESSAGE: Record<AuditAction, AuditActionMessage> = {
  create: AuditActionMessage.AUDIT_ACTION_CREATE,
  read: AuditActionMessage.AUDIT_ACTION_READ,
  update: AuditActionMessage.AUDIT_ACTION_UPDATE,
  disclose: AuditActionMessage.AUDIT_ACTION_DISCLOSE,
  erase: AuditActionMessage.AUDIT_ACTION_ERASE,
};

const ACTOR_KIND: Record<PrincipalKind, common.ActorKind> = {
  user: common.ActorKind.ACTOR_KIND_USER,
  service: common.ActorKind.ACTOR_KIND_SERVICE,
  'video-system': common.ActorKind.ACTOR_KIND_VIDEO_SYSTEM,
};

/**
 * Appends to the service's hash-chained audit log inside the caller's transaction, so the audited
 * action and its record commit or roll back together. A transaction-scoped advisory lock
 * serialises writers, which keeps the chain linear and `seq` gapless; it is held until the
 * caller's commit, so record the entry as the last step of the transaction.
 */
export class AuditLog {
  private readonly table: string;
  private readonly lockKey: string;
  private readonly personal: ReadonlySet<string>;

  constructor(private readonly options: AuditLogOptions) {
    this.table = qualified(options.schema, options.table ?? DEFAULT_AUDIT_TABLE);
    this.lockKey = `audit:${options.schema}.${options.table ?? DEFAULT_AUDIT_TABLE}`;
    this.personal = new Set(options.personalDataTypes ?? []);
  }

  /** Whether `objectType` was declared as personal data. */
  isPersonalData(objectType: string): boolean {
    return this.personal.has(objectType);
  }

  async record(manager: EntityManager, entry: AuditEntry): Promise<AuditRecord> {
    this.validate(entry);
    const head = await this.lockHead(manager, 'record');
    const record = this.chain(head, [entry])[0]!;
    await manager.query(
      `INSERT INTO ${this.table} (seq, id, recorded_at, actor_subject, actor_kind, actor_roles, region_code, action,
                                 object_type, object_id, purpose, legal_basis, details, prev_hash, hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13::jsonb, $14, $15)`,
      [
        record.seq,
        record.id,
        record.recordedAt,
        record.actorSubject,
        record.actorKind,
        record.actorRoles,
        record.regionCode,
        record.action,
        record.objectType,
        record.objectId,
        record.purpose,
        record.legalBasis,
        JSON.stringify(record.details),
        record.prevHash,
        record.hash,
      ],
    );
    if (this.options.outbox) await this.publish(manager, record);
    return record;
  }

  /**
   * Appends several records in order, in one insert (and one outbox row) after the lock: for a
   * transaction that audits many objects at once, such as a consumed batch that opened many
   * incidents or a page of face-match incidents read. The same rules as `record` apply.
   */
  async recordMany(manager: EntityManager, entries: readonly AuditEntry[]): Promise<AuditRecord[]> {
    if (entries.length === 0) return [];
    if (entries.length === 1) return [await this.record(manager, entries[0]!)];
    for (const entry of entries) this.validate(entry);
    const head = await this.lockHead(manager, 'recordMany');
    const records = this.chain(head, entries);
    const outbox = this.options.outbox;
    const queued = outbox?.batchInsert?.(
      records.map((record) => this.auditEvent(record)),
      2,
    );
    // Prepared: a consumed batch runs it many times a second.
    await preparedQuery(
      manager,
      `${queued ? `WITH queued AS (${queued.sql}) ` : ''}
       INSERT INTO ${this.table} (seq, id, recorded_at, actor_subject, actor_kind, actor_roles, region_code, action,
                                 object_type, object_id, purpose, legal_basis, details, prev_hash, hash)
       SELECT r.seq, r.id, r.recorded_at, r.actor_subject, r.actor_kind,
              ARRAY(SELECT jsonb_array_elements_text(r.actor_roles)), r.region_code, r.action, r.object_type,
              r.object_id, r.purpose, r.legal_basis, r.details, r.prev_hash, r.hash
         FROM jsonb_to_recordset($1::jsonb) AS r(seq bigint, id uuid, recorded_at timestamptz, actor_subject text,
              actor_kind text, actor_roles jsonb, region_code text, action text, object_type text, object_id text,
              purpose text, legal_basis text, details jsonb, prev_hash text, hash text)`,
      [
        JSON.stringify(
          records.map((r) => ({
            seq: r.seq,
            id: r.id,
            recorded_at: r.recordedAt.toISOString(),
            actor_subject: r.actorSubject,
            actor_kind: r.actorKind,
            actor_roles: r.actorRoles,
            region_code: r.regionCode,
            action: r.action,
            object_type: r.objectType,
            object_id: r.objectId,
            purpose: r.purpose,
            legal_basis: r.legalBasis,
            details: r.details,
            prev_hash: r.prevHash,
            hash: r.hash,
          })),
        ),
        ...(queued?.params ?? []),
      ],
    );
    if (outbox && !queued) for (const record of records) await this.publish(manager, record);
    return records;
  }

  /** Takes the chain's lock (held to the commit) and reads its head and the clock under it. */
  private async lockHead(
    manager: EntityManager,
    caller: string,
  ): Promise<{ now: Date; seq: string | null; hash: string | null }> {
    if (!manager.queryRunner?.isTransactionActive) {
      throw new AuditEntryError(`AuditLog.${caller} must run inside the transaction of the audited action`);
    }
    await preparedQuery(manager, 'SELECT pg_advisory_xact_lock(hashtext($1))', [this.lockKey]);
    // The clock is read under the lock, so recorded_at never runs backwards along the chain.
    const [head] = (await preparedQuery(
      manager,
      `SELECT date_trunc('milliseconds', clock_timestamp()) AS now, last.seq::text AS seq, last.hash
         FROM (SELECT 1) AS one
         LEFT JOIN LATERAL (SELECT seq, hash FROM ${this.table} ORDER BY seq DESC LIMIT 1) AS last ON true`,
      [],
    )) as { now: Date; seq: string | null; hash: string | null }[];
    if (!head) throw new Error('could not read the head of the audit chain');
    return head;
  }

  /** The records of `entries`, chained on from `head` in order. */
  private chain(
    head: { now: Date; seq: string | null; hash: string | null },
    entries: readonly AuditEntry[],
  ): AuditRecord[] {
    let prevHash = head.hash ?? GENESIS_HASH;
    let seq = head.seq === null ? 0 : Number(head.seq);
    return entries.map((entry) => {
      seq += 1;
      const record: Omit<AuditRecord, 'hash'> = {
        seq,
        id: randomUUID(),
        recordedAt: head.now,
        actorSubject: entry.actor.subject,
        actorKind: entry.actor.kind,
        actorRoles: [...entry.actor.roles],
        regionCode: entry.regionCode ?? null,
        action: entry.action,
        objectType: entry.objectType,
        objectId: entry.objectId,
        purpose: entry.purpose ?? null,
        legalBasis: entry.legalBasis ?? null,
        details: toJsonValue(entry.details ?? {}) as { [key: string]: JsonValue },
        prevHash,
      };
      const hash = auditRecordHash(prevHash, record);
      prevHash = hash;
      return { ...record, hash };
    });
  }

  private validate(entry: AuditEntry): void {
    if (!(AUDIT_ACTIONS as readonly string[]).includes(entry.action)) {
      throw new AuditEntryError(`audit action must be one of ${AUDIT_ACTIONS.join(', ')}`);
    }
    for (const [field, value] of [
      ['actor.subject', entry.actor.subject],
      ['objectType', entry.objectType],
      ['objectId', entry.objectId],
    ] as const) {
      if (typeof value !== 'string' || value.length === 0 || value.length > MAX_TEXT) {
        throw new AuditEntryError(`audit ${field} must be 1 to ${MAX_TEXT} characters`);
      }
    }
    const needsPurpose =
      ACTIONS_NEEDING_PURPOSE.includes(entry.action) || this.personal.has(entry.objectType);
    if (needsPurpose) {
      const missing = [
        ...(entry.purpose?.trim() ? [] : ['purpose']),
        ...(entry.legalBasis?.trim() ? [] : ['legalBasis']),
      ];
      if (missing.length > 0) {
        const why = ACTIONS_NEEDING_PURPOSE.includes(entry.action)
          ? `a ${entry.action}`
          : `an action on personal data (${entry.objectType})`;
        throw new AuditEntryError(`${why} must be audited with ${missing.join(' and ')}`);
      }
    }
  }

  private async publish(manager: EntityManager, record: AuditRecord): Promise<void> {
    await this.options.outbox?.add(manager, this.auditEvent(record));
  }

  /** The `AuditRecorded` event of a record, for `safecity.audit.v1`. */
  private auditEvent(record: AuditRecord): OutboundEvent {
    const message = AuditRecorded.fromPartial({
      id: record.id,
      seq: record.seq,
      source: this.options.schema,
      recordedAt: record.recordedAt,
      actor: { kind: ACTOR_KIND[record.actorKind], id: record.actorSubject },
      actorRoles: record.actorRoles,
      regionCode: record.regionCode ?? '',
      action: ACTION_MESSAGE[record.action],
      objectType: record.objectType,
      objectId: record.objectId,
      purpose: record.purpose ?? '',
      legalBasis: record.legalBasis ?? '',
      detailsJson: canonicalJson(record.details),
      prevHash: record.prevHash,
      hash: record.hash,
    });
    return {
      id: record.id,
      topic: Topics.Audit,
      key: `${record.objectType}:${record.objectId}`,
      type: EventTypes.AuditRecorded,
      payload: AuditRecorded.encode(message).finish(),
      subject: `${record.objectType}/${record.objectId}`,
      region: record.regionCode ?? undefined,
      time: record.recordedAt,
    };
  }
}
