import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { common, incidentChangedEventType, incidents as contract, Topics } from '@safecity/contracts';
import { Outbox } from '@safecity/messaging';
import { preparedQuery, UnitOfWork } from '@safecity/persistence';
import type { DataSource, EntityManager, TransactionRollbackEvent } from 'typeorm';
import { INCIDENTS_SCHEMA } from '../schema';
import { ChangeKindNames } from './enum-names';
import { streamView, toContractIncident, type IncidentRecord, type SourceRecord } from './incident.model';

export interface IncidentChange {
  kind: contract.IncidentChangeKind;
  incident: IncidentRecord;
  sources: SourceRecord[];
  previousState?: number;
  actor: common.Actor;
  reason?: string;
}

/** One entry of the change feed the live stream serves, in `seq` order. */
export interface FeedEntry {
  seq: number;
  incidentId: string;
  regionCode: string;
  kind: string;
  changedAt: string;
  incident: ReturnType<typeof streamView>;
}

const CHANGE_LOCK = 'incidents:change-feed';

/** What a unit of work wrote to the feed before it commits. */
interface PendingChanges {
  entries: FeedEntry[];
  /** A savepoint was rolled back after something was recorded: which entries survived is unknown. */
  uncertain: boolean;
}

/**
 * Writes what changed: a row of the change feed (what SSE clients read and resume from) and the
 * `IncidentChanged` event in the outbox, both in the caller's transaction and one statement.
 *
 * `seq` is drawn under a transaction-scoped lock that is released only at commit, so changes
 * commit in `seq` order: a client that has seen seq N can never later find a committed N-1 it
 * missed. The lock covers only the tail of a transaction: record changes as its last step (an
 * audit entry, which takes its own lock, may follow); the cost of a change is paid before it.
 */
@Injectable()
export class IncidentChangeLog {
  /** What each unit of work still open wrote to the feed, published once it has committed. */
  private readonly pending = new WeakMap<EntityManager, PendingChanges>();
  private readonly listeners = new Set<(entries: FeedEntry[] | null) => void>();

  constructor(
    private readonly outbox: Outbox,
    private readonly unit: UnitOfWork,
    @InjectDataSource(INCIDENTS_SCHEMA) dataSource: DataSource,
  ) {
    // The unit of work reports its commit; a savepoint rolled back inside it only TypeORM sees.
    dataSource.subscribers.push({
      afterTransactionRollback: (event: TransactionRollbackEvent) => {
        const pending = event.queryRunner.isTransactionActive && this.pending.get(event.queryRunner.manager);
        if (pending) pending.uncertain = true;
      },
    });
  }

  /**
   * Called after each unit of work of this process that recorded changes has committed, in
   * commit order as far as this process sees it, with the entries it made visible — or with null
   * when they are not known for certain (a savepoint rolled back), in which case read the table.
   */
  onCommitted(listener: (entries: FeedEntry[] | null) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async record(m: EntityManager, changes: IncidentChange[]): Promise<void> {
    if (changes.length === 0) return;
    const now = new Date();
    const views = changes.map((change) => streamView(change.incident, change.sources.length));
    const feedParams = [
      changes.map((c) => c.incident.id),
      changes.map((c) => c.incident.regionCode),
      changes.map((c) => c.kind),
      views.map((view) => JSON.stringify(view)),
      now,
      CHANGE_LOCK,
    ];
    const queued = this.outbox.batchInsert(
      changes.map((change) => {
        const message = contract.IncidentChanged.fromPartial({
          kind: change.kind,
          incident: toContractIncident(change.incident, change.sources),
          previousState: change.previousState ?? change.incident.state,
          actor: change.actor,
          reason: change.reason ?? '',
          changedAt: now,
        });
        return {
          topic: Topics.Incidents,
          key: change.incident.id,
          type: incidentChangedEventType(change.kind),
          payload: contract.IncidentChanged.encode(message).finish(),
          subject: `incident/${change.incident.id}`,
          region: change.incident.regionCode,
          time: now,
        };
      }),
      feedParams.length + 1,
    );
    // One statement, one round trip: the `IncidentChanged` events into the outbox (each is new:
    // a fresh id for a change this transaction made, so they are packed into one row) and the
    // feed rows. The lock is a materialized CTE every feed row depends on, so it is granted
    // before any `nextval` of the rows is drawn; it is held from here to the commit.
    const rows = (await preparedQuery(
      m,
      `WITH queued AS (${queued.sql}),
       feed_lock AS MATERIALIZED (SELECT pg_advisory_xact_lock(hashtext($6)))
       INSERT INTO incident_changes (seq, incident_id, region_code, kind, changed_at, snapshot)
       SELECT nextval('incident_change_seq'), c.incident_id, c.region_code, c.kind, $5, c.snapshot::jsonb
         FROM feed_lock,
              unnest($1::uuid[], $2::text[], $3::int[], $4::text[]) WITH ORDINALITY
              AS c(incident_id, region_code, kind, snapshot, n)
        ORDER BY c.n
       RETURNING seq::float8 AS seq`,
      [...feedParams, ...queued.params],
    )) as { seq: number }[];
    // RETURNING follows the insert's order, which is the order of `changes`.
    const seqs = rows.map((row) => Number(row.seq)).sort((a, b) => a - b);
    const unitManager = this.unit.manager;
    let pending = this.pending.get(unitManager);
    if (!pending) {
      const changesOfUnit: PendingChanges = { entries: [], uncertain: false };
      pending = changesOfUnit;
      this.pending.set(unitManager, changesOfUnit);
      this.unit.afterCommit(() => {
        this.pending.delete(unitManager);
        const entries = changesOfUnit.uncertain ? null : changesOfUnit.entries;
        for (const listener of this.listeners) listener(entries);
      });
    }
    const changedAt = now.toISOString();
    changes.forEach((change, i) =>
      pending.entries.push({
        seq: seqs[i],
        incidentId: change.incident.id,
        regionCode: change.incident.regionCode,
        kind: ChangeKindNames.toName(change.kind),
        changedAt,
        incident: views[i],
      }),
    );
  }

  /** Changes after `afterSeq`, oldest first, in the given regions (null: all). */
  async readAfter(
    m: EntityManager,
    afterSeq: number,
    regions: readonly string[] | null,
    limit: number,
  ): Promise<FeedEntry[]> {
    const rows = (await m.query(
      `SELECT seq::float8 AS seq, incident_id AS "incidentId", region_code AS "regionCode", kind,
              changed_at AS "changedAt", snapshot
         FROM incident_changes
        WHERE seq > $1 AND ($2::text[] IS NULL OR region_code = ANY($2::text[]))
        ORDER BY seq LIMIT $3`,
      [afterSeq, regions ? [...regions] : null, limit],
    )) as {
      seq: number;
      incidentId: string;
      regionCode: string;
      kind: number;
      changedAt: Date;
      snapshot: FeedEntry['incident'];
    }[];
    return rows.map((row) => ({
      seq: Number(row.seq),
      incidentId: row.incidentId,
      regionCode: row.regionCode,
      kind: ChangeKindNames.toName(row.kind),
      changedAt: new Date(row.changedAt).toISOString(),
      incident: row.snapshot,
    }));
  }

  async latestSeq(m: EntityManager): Promise<number> {
    const [row] = (await m.query(`SELECT coalesce(max(seq), 0)::float8 AS seq FROM incident_changes`)) as {
      seq: number;
    }[];
    return Number(row?.seq ?? 0);
  }
}
