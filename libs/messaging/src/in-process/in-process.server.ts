import { BaseRpcContext, Server, type CustomTransportStrategy } from '@nestjs/microservices';
import { isObservable, lastValueFrom } from 'rxjs';
import type { EventCodecRegistry } from '../codec';
import { EventDispatcher, type DispatchOutcome, type DispatcherLogger } from '../dispatch/event-dispatcher';
import type { ConsumedRecord } from '../envelope';
import { consumerGroupOf, retryTopicOf } from '../topics';
import type { InProcessBus } from './in-process-bus';

export interface InProcessServerOptions {
  bus: InProcessBus;
  serviceName: string;
  codecs?: EventCodecRegistry;
  maxAttempts?: number;
  retryDelayMs?: (attempt: number) => number;
  logger?: DispatcherLogger;
  onOutcome?(outcome: DispatchOutcome, topic: string, count?: number): void;
  onOutageRetry?(topic: string): void;
  onOutage?(waiting: boolean): void;
}

/** Context handed to handlers on the in-process transport: `[topic, partition, offset]`. */
export class InProcessContext extends BaseRpcContext<[string, number, string]> {
  getTopic() {
    return this.args[0];
  }
  getPartition() {
    return this.args[1];
  }
  getOffset() {
    return this.args[2];
  }
}

/**
 * Nest custom transport over the in-process bus, with the same consumer-group naming and the same
 * retry/dead-letter policy as the Kafka server, so a handler behaves alike on both.
 */
export class InProcessServer extends Server implements CustomTransportStrategy {
  private unsubscribe: (() => void) | null = null;

  constructor(private readonly serverOptions: InProcessServerOptions) {
    super();
  }

  get consumerGroup(): string {
    return consumerGroupOf(this.serverOptions.serviceName);
  }

  listen(callback: (...optionalParams: unknown[]) => void) {
    const { bus } = this.serverOptions;
    const dispatcher = new EventDispatcher({
      group: this.consumerGroup,
      codecs: this.serverOptions.codecs,
      maxAttempts: this.serverOptions.maxAttempts,
      retryDelayMs: this.serverOptions.retryDelayMs,
      publish: async (records) => bus.publish(records),
      logger: this.serverOptions.logger,
      onOutcome: this.serverOptions.onOutcome,
      onOutageRetry: this.serverOptions.onOutageRetry,
      onOutage: this.serverOptions.onOutage,
    });
    const topics = [...this.messageHandlers.keys()];
    this.unsubscribe = bus.subscribe(this.consumerGroup, [...topics, ...topics.map(retryTopicOf)], (record) =>
      this.handle(dispatcher, record),
    );
    callback();
  }

  private async handle(dispatcher: EventDispatcher, record: ConsumedRecord) {
    const handler = this.getHandlerByPattern(EventDispatcher.handlerTopicOf(record));
    if (!handler) return;
    await dispatcher.dispatch(
      record,
      async (event) => {
        const context = new InProcessContext([event.topic, event.partition, event.offset]);
        // The bus delivers one record at a time; a batch handler gets a batch of one.
        const result = await handler(handler.extras?.batch ? [event] : event, context);
        if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
      },
      undefined,
      // A closed server stops waiting out an outage.
      () => this.unsubscribe !== null,
    );
  }

  close() {
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  on(): never {
    throw new Error('events are not supported by the in-process transport');
  }

  unwrap<T>(): T {
    return this.serverOptions.bus as T;
  }
}
