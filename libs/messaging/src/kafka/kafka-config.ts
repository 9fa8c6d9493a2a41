import { hostname } from 'node:os';
import { logLevel, type KafkaConfig } from 'kafkajs';

export interface KafkaConnection {
  /** Comma-separated `host:port` list, as in `KAFKA_BROKERS`. */
  brokers: string | string[];
  clientId: string;
}

export function kafkaClientConfig(connection: KafkaConnection): KafkaConfig {
  const brokers = Array.isArray(connection.brokers)
    ? connection.brokers
    : connection.brokers
        .split(',')
        .map((b) => b.trim())
        .filter(Boolean);
  return {
    clientId: `${connection.clientId}-${hostname()}-${process.pid}`,
    brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 3_000,
    // Bounded: the outbox relay retries on its own schedule, so the client need not try forever.
    retry: { retries: 5, initialRetryTime: 100, maxRetryTime: 2_000 },
  };
}
