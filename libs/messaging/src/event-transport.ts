import { applyDecorators, Catch, Controller, UseFilters, type RpcExceptionFilter } from '@nestjs/common';
import type { CustomStrategy } from '@nestjs/microservices';
import { throwError, type Observable } from 'rxjs';
import type { EventCodecRegistry } from './codec';
import { eventDispositionOf, NonRetriableEventError } from './errors';
import type { DispatchOutcome, DispatcherLogger } from './dispatch/event-dispatcher';
import { InProcessBus } from './in-process/in-process-bus';
import { InProcessClient } from './in-process/in-process.client';
import { InProcessServer } from './in-process/in-process.server';
import { KafkaEventClient } from './kafka/kafka-event.client';
import { KafkaEventServer } from './kafka/kafka-event.server';
import type { KafkaConnection } from './kafka/kafka-config';
import type { EventPublisher } from './publisher';

/** Which bus a service talks to: real Kafka, or the in-process bus of the embedded default. */
export type BusTransport =
  { kind: 'kafka'; connection: KafkaConnection } | { kind: 'in-process'; bus: InProcessBus };

export interface EventConsumerOptions {
  serviceName: string;
  transport: BusTransport;
  codecs?: EventCodecRegistry;
  maxAttempts?: number;
  retryDelayMs?: (attempt: number) => number;
  partitionsConsumedConcurrently?: number;
  /** Kafka group session timeout; heartbeats during long handlers keep the member alive. */
  sessionTimeoutMs?: number;
  topicConfigs?: Record<string, Record<string, string>>;
  logger?: DispatcherLogger;
  onOutcome?(outcome: DispatchOutcome, topic: string, count?: number): void;
  /** Each wait for an unavailable dependency (a retry of the same event in place). */
  onOutageRetry?(topic: string): void;
  /** Whether the consumer is waiting for an unavailable dependency (at an outage's start and end). */
  onOutage?(waiting: boolean): void;
  onLag?(topic: string, partition: number, lag: number): void;
}

/** The Nest microservice strategy that delivers events to this service's `@EventPattern` handlers. */
export function eventConsumerStrategy(options: EventConsumerOptions): CustomStrategy {
  const common = {
    serviceName: options.serviceName,
    codecs: options.codecs,
    maxAttempts: options.maxAttempts,
    retryDelayMs: options.retryDelayMs,
    logger: options.logger,
    onOutcome: options.onOutcome,
    onOutageRetry: options.onOutageRetry,
    onOutage: options.onOutage,
  };
  const strategy =
    options.transport.kind === 'kafka'
      ? new KafkaEventServer({
          ...common,
          connection: options.transport.connection,
          partitionsConsumedConcurrently: options.partitionsConsumedConcurrently,
          sessionTimeoutMs: options.sessionTimeoutMs,
          topicConfigs: options.topicConfigs,
          onLag: options.onLag,
        })
      : new InProcessServer({ ...common, bus: options.transport.bus });
  return { strategy };
}

export function eventPublisherFor(
  transport: BusTransport,
  clientId: string,
  topicConfigs?: Record<string, Record<string, string>>,
): EventPublisher & { close(): unknown } {
  return transport.kind === 'kafka'
    ? new KafkaEventClient({ ...transport.connection, clientId }, { topicConfigs })
    : new InProcessClient(transport.bus);
}

/**
 * Nest's default RPC filter replaces an unknown error with "Internal server error"; event handlers
 * need the original error so the dead-letter record can say what went wrong. The one place the
 * event transport maps errors that declare their disposition (`EVENT_DISPOSITION`): a refusal of
 * the data is dead-lettered at once, an outage is retried.
 */
@Catch()
export class EventErrorPassthroughFilter implements RpcExceptionFilter<unknown> {
  catch(exception: unknown): Observable<never> {
    if (eventDispositionOf(exception) === 'dead-letter' && !(exception instanceof NonRetriableEventError)) {
      const error = exception as Error;
      return throwError(
        () => new NonRetriableEventError(`${error.name}: ${error.message}`, { cause: error }),
      );
    }
    return throwError(() => exception);
  }
}

/**
 * Marks a controller whose `@EventPattern` handlers consume events. Use it instead of
 * `@Controller()` so a failing handler's own error reaches the retry and dead-letter records
 * (global filters cannot be added to a microservice connected to a hybrid app).
 */
export function EventConsumer(): ClassDecorator {
  return applyDecorators(Controller(), UseFilters(EventErrorPassthroughFilter));
}
