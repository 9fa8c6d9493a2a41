import {
  Inject,
  Injectable,
  Logger,
  Module,
  Optional,
  type BeforeApplicationShutdown,
  type DynamicModule,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { BUS_HEALTH, MetricsService, OUTBOX_PENDING } from '@safecity/observability';
import { UnitOfWork } from '@safecity/persistence';
import type { DataSource } from 'typeorm';
import { dependencyReturn } from './dependency-return';
import { eventPublisherFor, type BusTransport } from './event-transport';
import { Inbox } from './inbox/inbox';
import { Outbox } from './outbox/outbox';
import { OutboxRelay, type OutboxRelayControl } from './outbox/outbox-relay';
import { ThreadedOutboxRelay } from './outbox/threaded-outbox-relay';
import { EVENT_PUBLISHER, type EventPublisher } from './publisher';
import { consumerGroupOf } from './topics';

export interface MessagingModuleOptions {
  serviceName: string;
  /** The service's schema (the outbox relay's lock is per schema). */
  schema: string;
  transport: BusTransport;
  /** Name of the service's TypeORM data source, when it is registered under one. */
  dataSourceName?: string;
  relay?: {
    batchSize?: number;
    pollIntervalMs?: number;
    /** See `OutboxRelayOptions.lingerMs`. */
    lingerMs?: number;
    maxBackoffMs?: number;
    /**
     * Publish from a worker thread with its own connections (Kafka transport only), for services
     * whose outbox carries about as many events as the service consumes, so that publishing them
     * does not wait for turns between the batches that produce them.
     */
    thread?: boolean;
  };
  /** Broker settings of topics this service may be first to create. */
  topicConfigs?: Record<string, Record<string, string>>;
}

export const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');

/** Starts the outbox relay with the application and lets it finish its batch on shutdown. */
@Injectable()
export class OutboxRelayLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private unsubscribe: (() => void) | null = null;
  private gaugeTimer: NodeJS.Timeout | null = null;

  constructor(
    @Inject(OutboxRelay) readonly relay: OutboxRelayControl,
    private readonly outbox: Outbox,
    private readonly unit: UnitOfWork,
    @Inject(EVENT_PUBLISHER) private readonly publisher: EventPublisher & { close(): unknown },
    @Optional() private readonly metrics?: MetricsService,
  ) {}

  onApplicationBootstrap() {
    // Any commit may have queued events: a nudge is cheap, and the relay finds out.
    const unsubscribeCommits = this.unit.onCommit(() => this.relay.wake());
    // Backing off after a failure, the relay tries again as soon as the process sees the database
    // (or whatever failed) answer again, not at the end of its back-off.
    const unsubscribeReturns = dependencyReturn.onAnswered(() => this.relay.wake());
    this.unsubscribe = () => {
      unsubscribeCommits();
      unsubscribeReturns();
    };
    this.relay.start();
    if (this.metrics) {
      const pending = this.metrics.platform(OUTBOX_PENDING);
      this.gaugeTimer = setInterval(() => {
        this.outbox.pending().then(
          (n) => pending.set(n),
          () => undefined,
        );
      }, 5_000);
      this.gaugeTimer.unref();
    }
  }

  async beforeApplicationShutdown() {
    if (this.gaugeTimer) clearInterval(this.gaugeTimer);
    this.unsubscribe?.();
    await this.relay.stop();
    await this.publisher.close();
  }
}

/**
 * While anything in the process waits out an outage, asks the service's database every quarter
 * second whether it answers again (`dependencyReturn`): one `SELECT 1`, which a server that is
 * down or still starting up refuses at once.
 */
export class DatabaseReturnProbe implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private remove: (() => void) | null = null;

  constructor(private readonly dataSource: DataSource) {}

  onApplicationBootstrap() {
    this.remove = dependencyReturn.addProbe(() => this.dataSource.query('SELECT 1'));
  }

  beforeApplicationShutdown() {
    this.remove?.();
  }
}

@Module({})
export class MessagingModule {
  static forRoot(options: MessagingModuleOptions): DynamicModule {
    const logger = new Logger(`${options.serviceName}:outbox`);
    const dataSource = getDataSourceToken(options.dataSourceName);
    return {
      module: MessagingModule,
      global: true,
      providers: [
        { provide: MESSAGING_OPTIONS, useValue: options },
        {
          provide: EVENT_PUBLISHER,
          useFactory: () => eventPublisherFor(options.transport, options.serviceName, options.topicConfigs),
        },
        {
          provide: Outbox,
          useFactory: (unit: UnitOfWork) => new Outbox(unit, `/safecity/${options.serviceName}`),
          inject: [UnitOfWork],
        },
        {
          // On a thread of its own where asked for and possible; on the service's thread otherwise.
          provide: OutboxRelay,
          useFactory: (ds: DataSource, publisher: EventPublisher): OutboxRelayControl => {
            const { thread, ...relay } = options.relay ?? {};
            const hooks = {
              logger: {
                warn: (message: string, context?: Record<string, unknown>) =>
                  logger.warn({ msg: message, ...context }),
              },
            };
            const threadDataSource = thread ? ThreadedOutboxRelay.dataSourceOptionsOf(ds.options) : null;
            if (threadDataSource && options.transport.kind === 'kafka') {
              return new ThreadedOutboxRelay(
                {
                  dataSource: threadDataSource,
                  connection: { ...options.transport.connection, clientId: `${options.serviceName}-outbox` },
                  topicConfigs: options.topicConfigs,
                  relay: { schema: options.schema, ...relay },
                },
                hooks,
              );
            }
            return new OutboxRelay(ds, publisher, { schema: options.schema, ...relay, ...hooks });
          },
          inject: [dataSource, EVENT_PUBLISHER],
        },
        {
          provide: Inbox,
          useFactory: (unit: UnitOfWork) => new Inbox(unit, consumerGroupOf(options.serviceName)),
          inject: [UnitOfWork],
        },
        OutboxRelayLifecycle,
        {
          provide: DatabaseReturnProbe,
          useFactory: (ds: DataSource) => new DatabaseReturnProbe(ds),
          inject: [dataSource],
        },
        // The bus is reported, not required: the service queues its events in the outbox, which
        // the relay publishes once the bus is back, so it serves its own traffic meanwhile.
        {
          provide: BUS_HEALTH,
          useFactory: (publisher: EventPublisher) => ({
            name: 'bus',
            required: false,
            isHealthy: () => publisher.isHealthy(),
          }),
          inject: [EVENT_PUBLISHER],
        },
      ],
      exports: [EVENT_PUBLISHER, Outbox, OutboxRelay, Inbox, MESSAGING_OPTIONS],
    };
  }
}
