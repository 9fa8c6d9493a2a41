import { preparedQuery, type UnitOfWork } from '@safecity/persistence';
import type { EntityManager } from 'typeorm';
import type { ConsumedEvent } from '../envelope';

export interface InboxResult<T> {
  /** False when this group had already processed the event: nothing was done. */
  applied: boolean;
  result?: T;
}

/**
 * Idempotent consumer: `(consumer group, event id)` is recorded in the same transaction as the
 * effect, so a redelivered event (after a crash, a rebalance or a replay) changes nothing. It
 * writes into the service's unit of work: the caller's when one is open, else one opened for the
 * event and its effect.
 */
export class Inbox {
  constructor(
    private readonly unit: UnitOfWork,
    readonly consumerGroup: string,
  ) {}

  async once<T>(
    event: Pick<ConsumedEvent, 'id' | 'topic'>,
    effect: (manager: EntityManager) => Promise<T>,
  ): Promise<InboxResult<T>> {
    return this.unit.run(async (manager) => {
      const inserted: unknown[] = await manager.query(
        `INSERT INTO inbox (consumer_group, event_id, topic) VALUES ($1, $2, $3)
         ON CONFLICT DO NOTHING RETURNING 1`,
        [this.consumerGroup, event.id, event.topic],
      );
      if (inserted.length === 0) return { applied: false };
      return { applied: true, result: await effect(manager) };
    });
  }

  /**
   * The batch form: records every event of `events` in one statement and runs `effect` with the
   * ones this group had not processed yet, all in one transaction.
   */
  async onceEach<E extends Pick<ConsumedEvent, 'id' | 'topic'>, T>(
    events: E[],
    effect: (manager: EntityManager, fresh: E[]) => Promise<T>,
  ): Promise<{ fresh: E[]; result?: T }> {
    if (events.length === 0) return { fresh: [] };
    return this.unit.run(async (manager) => {
      const rows = await preparedQuery<{ event_id: string }[]>(
        manager,
        `INSERT INTO inbox (consumer_group, event_id, topic)
         SELECT $1, e.id, e.topic FROM unnest($2::text[], $3::text[]) AS e(id, topic)
         ON CONFLICT DO NOTHING RETURNING event_id`,
        [this.consumerGroup, events.map((e) => e.id), events.map((e) => e.topic)],
      );
      const inserted = new Set(rows.map((r) => r.event_id));
      // The same id twice in one batch is one event: keep its first delivery.
      const fresh = events.filter((e) => inserted.delete(e.id));
      if (fresh.length === 0) return { fresh };
      return { fresh, result: await effect(manager, fresh) };
    });
  }

  /** Forgets events older than any redelivery could be; returns how many rows were removed. */
  async purgeOlderThan(age: { days: number }): Promise<number> {
    const result = await this.unit.dataSource.query(
      `DELETE FROM inbox WHERE consumer_group = $1 AND processed_at < now() - make_interval(days => $2)`,
      [this.consumerGroup, age.days],
    );
    return Array.isArray(result) ? Number(result[1] ?? 0) : 0;
  }
}
