import type { UnitOfWork } from '@safecity/persistence';
import type { EntityManager } from 'typeorm';
import { cloudEventHeaders, newEventId, type OutboundEvent } from '../envelope';
import { currentTraceHeaders } from '../tracing';
import { OUTBOX_BATCH_HEADER, packEvents, sharedBatchHeaders, type PackableEvent } from './outbox-batch';

/** Events per packed row: a relay batch publishes whole rows, so this bounds one Kafka request. */
export const OUTBOX_EVENTS_PER_ROW = 500;

/**
 * The write side of the transactional outbox: events are rows written in the same transaction as
 * the state change they describe, so either both happen or neither does.
 */
export class Outbox {
  constructor(
    private readonly unit: UnitOfWork,
    /** CloudEvents `source` of this service, e.g. `/safecity/camera-registry`. */
    readonly source: string,
  ) {}

  /** Adds events inside the caller's transaction; returns their ids. */
  async add(manager: EntityManager, events: OutboundEvent | OutboundEvent[]): Promise<string[]> {
    const list = Array.isArray(events) ? events : [events];
    if (list.length === 0) return [];
    const trace = currentTraceHeaders();
    const ids: string[] = [];
    const params: unknown[] = [];
    const rows: string[] = [];
    for (const event of list) {
      const id = event.id ?? newEventId();
      ids.push(id);
      const headers = cloudEventHeaders({ ...event, id }, this.source, trace);
      const base = params.length;
      rows.push(`($${base + 1}, $${base + 2}, $${base + 3}, $${base + 4}::jsonb, $${base + 5})`);
      params.push(id, event.topic, event.key, JSON.stringify(headers), Buffer.from(event.payload));
    }
    // A re-sent vendor event carries the same deterministic id and must not be queued twice.
    await manager.query(
      `INSERT INTO outbox (event_id, topic, key, headers, payload) VALUES ${rows.join(', ')}
       ON CONFLICT (event_id) DO NOTHING`,
      params,
    );
    return ids;
  }

  /**
   * Adds many events inside the caller's transaction as few rows: one per topic and up to
   * {@link OUTBOX_EVENTS_PER_ROW} events, which the relay publishes as separate records with the
   * same headers `add` would give them, in the order given. For high-volume streams, where a row
   * per event costs more than the state change it reports.
   *
   * Unlike `add`, events are not checked against ids still queued: queue only events for state
   * changes this transaction made (recognition queues an observation only for a detection its
   * insert stored), so that a re-sent event is dropped before it reaches the outbox.
   */
  async addBatch(manager: EntityManager, events: OutboundEvent[]): Promise<string[]> {
    if (events.length === 0) return [];
    const { sql, params, ids } = this.batchInsert(events);
    await manager.query(sql, params);
    return ids;
  }

  /**
   * The insert `addBatch` runs, for a caller that makes it part of a statement of its own (as a
   * data-modifying `WITH` query) to save a round trip; its parameters are numbered from
   * `firstParam`, after the caller's own. The same rules as `addBatch` apply.
   */
  batchInsert(events: OutboundEvent[], firstParam = 1): { sql: string; params: unknown[]; ids: string[] } {
    if (events.length === 0) throw new RangeError('outbox batch: no events');
    const shared = sharedBatchHeaders(this.source, currentTraceHeaders());
    const byTopic = new Map<string, PackableEvent[]>();
    const ids: string[] = [];
    for (const event of events) {
      const packable = { ...event, id: event.id ?? newEventId() };
      ids.push(packable.id);
      const list = byTopic.get(event.topic);
      if (list) list.push(packable);
      else byTopic.set(event.topic, [packable]);
    }
    const params: unknown[] = [];
    const rows: string[] = [];
    for (const [topic, list] of byTopic) {
      for (let i = 0; i < list.length; i += OUTBOX_EVENTS_PER_ROW) {
        const chunk = list.slice(i, i + OUTBOX_EVENTS_PER_ROW);
        const base = firstParam - 1 + params.length;
        rows.push(`($${base + 1}, $${base + 2}, $${base + 3}, $${base + 4}::jsonb, $${base + 5})`);
        params.push(
          // Not an event id: the row's own, never deduplicated against another.
          `batch:${newEventId()}`,
          topic,
          chunk[0]!.key,
          JSON.stringify({ ...shared, [OUTBOX_BATCH_HEADER]: String(chunk.length) }),
          packEvents(chunk),
        );
      }
    }
    return {
      sql: `INSERT INTO outbox (event_id, topic, key, headers, payload) VALUES ${rows.join(', ')}`,
      params,
      ids,
    };
  }

  /** Events waiting to be published (a packed row counts as the events it carries). */
  async pending(): Promise<number> {
    const [{ count }] = await this.unit.dataSource.query(
      `SELECT coalesce(sum(coalesce((headers->>'${OUTBOX_BATCH_HEADER}')::int, 1)), 0)::int AS count FROM outbox`,
    );
    return count;
  }
}
