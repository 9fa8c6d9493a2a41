import type { DataSource, EntityManager } from 'typeorm';
import { cloudEventHeaders, newEventId, type OutboundEvent } from '../envelope';
import { currentTraceHeaders } from '../tracing';

/**
 * The write side of the transactional outbox: events are rows written in the same transaction as
 * the state change they describe, so either both happen or neither does.
 */
export class Outbox {
  private readonly commitListeners = new Set<() => void>();

  constructor(
    private readonly dataSource: DataSource,
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

  /** Runs `work` in a transaction and nudges the relay once it has committed. */
  async transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const result = await this.dataSource.transaction(work);
    for (const listener of this.commitListeners) listener();
    return result;
  }

  onCommit(listener: () => void): () => void {
    this.commitListeners.add(listener);
    return () => this.commitListeners.delete(listener);
  }

  async pending(): Promise<number> {
    const [{ count }] = await this.dataSource.query('SELECT count(*)::int AS count FROM outbox');
    return count;
  }
}
