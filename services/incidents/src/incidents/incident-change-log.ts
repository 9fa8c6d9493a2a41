import { Injectable } from '@nestjs/common';
import { common, incidentChangedEventType, incidents as contract, Topics } from '@safecity/contracts';
import { Outbox } from '@safecity/messaging';
import type { EntityManager } from 'typeorm';
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

/**
 * Writes what changed: a row of the change feed (what SSE clients read and resume from) and the
 * `IncidentChanged` event in the outbox, both in the caller's transaction.
 *
 * `seq` is drawn under a transaction-scoped lock that is released only at commit, so changes
 * commit in `seq` order: a client that has seen seq N can never later find a committed N-1 it
 * missed. The lock covers only the tail of a transaction: record changes as its last step (an
 * audit entry, which takes its own lock, may follow); the cost of a change is paid before it.
 */
@Injectable()
export class IncidentChangeLog {
  constructor(private readonly outbox: Outbox) {}

  async record(m: EntityManager, changes: IncidentChange[]): Promise<void> {
    if (changes.length === 0) return;
    const now = new Date();
    const snapshots = changes.map((change) =>
      JSON.stringify(streamView(change.incident, change.sources.length)),
    );
    // The outbox keeps its own order; only the feed needs the lock, so it is taken last and held
    // for one statement and the commit.
    await this.outbox.add(
      m,
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
    );
    await m.query('SELECT pg_advisory_xact_lock(hashtext($1))', [CHANGE_LOCK]);
    await m.query(
      `INSERT INTO incident_changes (seq, incident_id, region_code, kind, changed_at, snapshot)
       SELECT nextval('incident_change_seq'), c.incident_id, c.region_code, c.kind, $5, c.snapshot::jsonb
         FROM unnest($1::uuid[], $2::text[], $3::int[], $4::text[]) WITH ORDINALITY
              AS c(incident_id, region_code, kind, snapshot, n)
        ORDER BY c.n`,
      [
        changes.map((c) => c.incident.id),
        changes.map((c) => c.incident.regionCode),
        changes.map((c) => c.kind),
        snapshots,
        now,
      ],
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
