/**
 * One answer, for the whole platform, to "did this fail because a dependency cannot answer now?"
 * — the database, the broker, another service over gRPC. Such a failure says nothing about the
 * request or the event: HTTP answers 503, gRPC UNAVAILABLE, and a consumer waits and retries
 * instead of dead-lettering. Kept free of imports so the outbox relay's worker thread and every
 * transport can load it.
 */

/** `EVENT_DISPOSITION` of `./errors`, by its registered name: this file imports nothing. */
const DECLARED_DISPOSITION = Symbol.for('safecity.event-disposition');

/** PostgreSQL classes and codes of a server that cannot serve now (connection, shutdown, resources). */
const UNAVAILABLE_SQLSTATE = /^(08|53|57P0[1-4]|58)/;
const UNAVAILABLE_NETWORK = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
]);
const UNAVAILABLE_MESSAGE =
  /Connection terminated|connection error|timeout exceeded when trying to connect|Connection is not established|Cannot use a pool after calling end|not currently accepting connections|the database system is (starting up|shutting down|in recovery mode)/i;
/** gRPC UNAVAILABLE (14) and DEADLINE_EXCEEDED (4), as numbers: no gRPC import here. */
const RETRIABLE_GRPC = new Set<number>([14, 4]);
/** kafkajs' errors for a broker that cannot be reached or has no leader for now. */
const UNAVAILABLE_KAFKA =
  /^KafkaJS(ConnectionError|ConnectionClosedError|RequestTimeoutError|BrokerNotFound|NumberOfRetriesExceeded|LockTimeout|StaleTopicMetadataAssignment)$/;

/**
 * Whether `error` says a dependency (the database, the broker, another service) cannot answer
 * now, rather than anything about the request or event: such a failure is retried until the
 * dependency answers, and never taken for "not found" or for a bad message.
 */
export function isDependencyUnavailable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    const { code, message, name, retriable } = e as {
      code?: unknown;
      message?: unknown;
      name?: unknown;
      retriable?: unknown;
    };
    if (typeof code === 'string' && (UNAVAILABLE_NETWORK.has(code) || UNAVAILABLE_SQLSTATE.test(code)))
      return true;
    if (typeof code === 'number' && RETRIABLE_GRPC.has(code)) return true;
    // A layer above declared it an outage (a domain `UnavailableError`).
    if ((e as Record<symbol, unknown>)[DECLARED_DISPOSITION] === 'retry') return true;
    if (name === 'TimeoutError') return true;
    if (typeof name === 'string' && UNAVAILABLE_KAFKA.test(name)) return true;
    // A broker's protocol error it marks retriable (no leader, coordinator loading, …).
    if (name === 'KafkaJSProtocolError' && retriable === true) return true;
    if (typeof message === 'string' && UNAVAILABLE_MESSAGE.test(message)) return true;
    const next = e as { driverError?: unknown; cause?: unknown; originalError?: unknown };
    e = next.driverError ?? next.cause ?? next.originalError;
  }
  return false;
}
