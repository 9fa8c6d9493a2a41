import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { qualified } from '../sql';
import {
  auditRecordHash,
  DEFAULT_AUDIT_TABLE,
  fromAuditRow,
  GENESIS_HASH,
  type AuditRow,
} from './audit-record';

export interface AuditChainVerification {
  ok: boolean;
  /** Records checked before the first break (all of them when ok). */
  checked: number;
  /** Where the chain breaks: the edited, misplaced or first missing record. */
  firstBrokenSeq?: number;
  reason?: string;
  /** Head of the (intact part of the) chain; note it down to anchor a later verification. */
  lastSeq?: number;
  lastHash?: string;
}

export interface VerifyAuditChainOptions {
  table?: string;
  batchSize?: number;
  /**
   * Hashes noted down earlier (from a previous verification, or from `safecity.audit.v1`). The hash
   * chain alone shows that records were changed, removed or reordered, unless someone rewrote
   * every hash after the change, which an anchor held outside the database exposes; an anchor
   * past the end exposes records cut off the tail.
   */
  anchors?: readonly { seq: number; hash: string }[];
}

type Query = (sql: string, parameters: unknown[]) => Promise<AuditRow[]>;

/**
 * Walks the audit log in `seq` order and recomputes every hash and link. Give it a data source, or
 * a connection URL (the verify command: read access to the table is all it needs).
 */
export async function verifyAuditChain(
  source: DataSource | string,
  schema: string,
  options: VerifyAuditChainOptions = {},
): Promise<AuditChainVerification> {
  if (typeof source !== 'string') {
    // One snapshot for the whole walk, so records appended meanwhile cannot look like a break.
    return source.transaction('REPEATABLE READ', (manager) =>
      walk((sql, parameters) => manager.query(sql, parameters) as Promise<AuditRow[]>, schema, options),
    );
  }
  const client = new Client({ connectionString: source, application_name: 'audit-verify' });
  await client.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const result = await walk(
      async (sql, parameters) => (await client.query<AuditRow>(sql, parameters)).rows,
      schema,
      options,
    );
    await client.query('COMMIT');
    return result;
  } finally {
    await client.end();
  }
}

async function walk(
  query: Query,
  schema: string,
  options: VerifyAuditChainOptions,
): Promise<AuditChainVerification> {
  const table = qualified(schema, options.table ?? DEFAULT_AUDIT_TABLE);
  const batchSize = options.batchSize ?? 1000;
  const anchors = new Map((options.anchors ?? []).map((a) => [a.seq, a.hash]));
  let expectedSeq = 1;
  let previousHash = GENESIS_HASH;
  let checked = 0;
  const broken = (seq: number, reason: string): AuditChainVerification => ({
    ok: false,
    checked,
    firstBrokenSeq: seq,
    reason,
    ...(checked > 0 ? { lastSeq: expectedSeq - 1, lastHash: previousHash } : {}),
  });

  for (;;) {
    const rows = await query(`SELECT * FROM ${table} WHERE seq >= $1 ORDER BY seq LIMIT $2`, [
      expectedSeq,
      batchSize,
    ]);
    for (const row of rows) {
      const record = fromAuditRow(row);
      if (record.seq !== expectedSeq) {
        return broken(
          expectedSeq,
          record.seq - 1 === expectedSeq
            ? `record ${expectedSeq} is missing`
            : `records ${expectedSeq} to ${record.seq - 1} are missing`,
        );
      }
      if (auditRecordHash(record.prevHash, record) !== record.hash) {
        return broken(record.seq, `record ${record.seq} does not match its hash: it was changed or moved`);
      }
      if (record.prevHash !== previousHash) {
        return broken(
          record.seq,
          `record ${record.seq} does not follow record ${record.seq - 1}: a record was removed, replaced or moved`,
        );
      }
      const anchored = anchors.get(record.seq);
      if (anchored !== undefined && anchored !== record.hash) {
        return broken(record.seq, `record ${record.seq} differs from its anchor: the chain was rewritten`);
      }
      previousHash = record.hash;
      expectedSeq = record.seq + 1;
      checked += 1;
    }
    if (rows.length < batchSize) break;
  }
  const pastEnd = [...anchors.keys()].filter((seq) => seq >= expectedSeq).sort((a, b) => a - b)[0];
  if (pastEnd !== undefined)
    return broken(expectedSeq, `anchored record ${pastEnd} is missing: the log was cut short`);
  return { ok: true, checked, ...(checked > 0 ? { lastSeq: expectedSeq - 1, lastHash: previousHash } : {}) };
}
