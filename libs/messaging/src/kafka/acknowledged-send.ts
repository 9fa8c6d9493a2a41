import type { Producer, ProducerBatch, ProducerConfig } from 'kafkajs';
import { isDependencyUnavailable } from '../dependency-unavailable';

/**
 * How the platform writes to Kafka so that an acknowledged record is a record in the log, through
 * the crash of a partition's leader.
 *
 * kafkajs 2.2.4 (its last release) can acknowledge records it never wrote when a leader fails:
 *
 * - `sendBatch` keeps, across its own retries, the answers of the brokers that already answered.
 *   When the failed leader's partitions move to one of those brokers, their records are not sent
 *   again, and the call resolves as if they had been written.
 * - Its idempotent producer gives back the sequence numbers of a request that failed, even when
 *   the broker had written it and only the answer was lost (the leader killed after its followers
 *   had copied the batch). The next batch for that partition takes the same numbers: the new
 *   leader takes it for a duplicate of the written one and acknowledges it without writing it —
 *   or, of another size, refuses it as out of order.
 *
 * So: no idempotence (no sequence numbers to reuse), no retries inside kafkajs (each attempt sends
 * every record to the leaders of the moment), and the whole batch sent again on failure here. A
 * request whose answer was lost may leave a record twice in the log; consumers drop the second by
 * its event id, as they do for every redelivery.
 */
export function acknowledgedProducerConfig(): ProducerConfig {
  return { idempotent: false, retry: { retries: 0 } };
}

export interface AcknowledgedSendOptions {
  /** Attempts of the whole batch while the cluster cannot take it (default 6). */
  attempts?: number;
  /** First wait between attempts, doubled each time (default 100 ms) up to `maxWaitMs` (2 s). */
  initialWaitMs?: number;
  maxWaitMs?: number;
}

/**
 * Writes `batch` with `acks=all` through a producer made with `acknowledgedProducerConfig`:
 * resolves only once one attempt had every record acknowledged by its partition's leader and
 * in-sync replicas. An attempt that fails because the cluster cannot answer now (a leader gone,
 * a broker unreachable) is followed by the whole batch again; past the attempts, or for any
 * other error, it throws, and nothing may be taken as written.
 */
export async function sendAcknowledged(
  producer: Producer,
  batch: Omit<ProducerBatch, 'acks'>,
  options: AcknowledgedSendOptions = {},
): Promise<void> {
  const attempts = options.attempts ?? 6;
  let wait = options.initialWaitMs ?? 100;
  for (let attempt = 1; ; attempt++) {
    try {
      await producer.sendBatch({ ...batch, acks: -1 });
      return;
    } catch (error) {
      if (attempt >= attempts || !isDependencyUnavailable(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, wait));
      wait = Math.min(wait * 2, options.maxWaitMs ?? 2_000);
    }
  }
}
