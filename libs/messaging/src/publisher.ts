import type { BusRecord } from './envelope';

/** What the outbox relay and the retry machinery need from a transport. */
export interface EventPublisher {
  readonly transportName: string;
  /** Resolves once the bus has durably accepted every record (for Kafka: acks from all replicas). */
  publishBatch(records: BusRecord[]): Promise<void>;
  isHealthy(): Promise<boolean> | boolean;
}

export const EVENT_PUBLISHER = Symbol('EVENT_PUBLISHER');
