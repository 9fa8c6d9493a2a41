import { Logger as NestLogger, type DynamicModule, type INestApplication, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Transport, type MicroserviceOptions, type NestMicroservice } from '@nestjs/microservices';
import { SwaggerModule } from '@nestjs/swagger';
import type { PackageDefinition, Options as ProtoLoaderOptions } from '@grpc/proto-loader';
import { eventConsumerStrategy, type EventConsumerOptions } from '@safecity/messaging';
import { ExpressAdapter, type NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import {
  MetricsService,
  KAFKA_CONSUMER_LAG,
  MESSAGES_CONSUMED_TOTAL,
  MESSAGES_DEAD_LETTERED_TOTAL,
  MESSAGES_RETRIED_TOTAL,
  CONSUMER_DEPENDENCY_OUTAGE,
  HealthController,
} from '@safecity/observability';
import { consumerGroupOf, type DispatchOutcome, type DispatcherLogger } from '@safecity/messaging';
import { EdgeExceptionFilter } from './edge-exception.filter';
import { createOpenApiDocument, type OpenApiOptions } from './openapi/document';
import { installGrpcInputCheck } from './grpc-input';
import { refuseDeeplyNestedJson } from './request-input';
import { securityHeaders } from './security-headers';
import { bodyDeadline, type BodyDeadlineOptions } from './raw-body';
import { GrpcErrorFilter } from './grpc-errors';
import { createValidationPipe } from './validation';

export interface GrpcServerSpec {
  /** `host:port` to bind, e.g. `127.0.0.1:50051`. */
  url: string;
  package: string;
  protoPath: string;
  loader: ProtoLoaderOptions;
  /** Called with the loaded package definition before the server is built from it. */
  onLoadPackageDefinition?: (definition: PackageDefinition) => void;
}

export interface ServiceAppOptions {
  serviceName: string;
  module: DynamicModule | Type<unknown>;
  http: { port: number; host?: string; bodyLimit?: string; bodyDeadline?: BodyDeadlineOptions };
  grpc?: GrpcServerSpec;
  events?: EventConsumerOptions;
  /** Served at /docs (JSON at /docs-json); see `createOpenApiDocument`. */
  openApi?: OpenApiOptions;
}

export interface RunningServiceApp {
  serviceName: string;
  app: INestApplication;
  httpUrl: string;
  grpcUrl?: string;
  close(): Promise<void>;
}

/**
 * One service as a hybrid Nest application: REST (with OpenAPI at /docs), its gRPC server and its
 * event consumer, sharing one dependency container. Shutdown hooks let the outbox relay and the
 * consumers finish what is in flight.
 */
const OUTCOME_LABEL: Record<DispatchOutcome, string | null> = {
  processed: 'processed',
  'retry-scheduled': 'retried',
  'dead-lettered': 'failed',
  skipped: null,
  interrupted: null,
};

function consumerMetrics(metrics: MetricsService, serviceName: string) {
  const group = consumerGroupOf(serviceName);
  const consumed = metrics.platform(MESSAGES_CONSUMED_TOTAL);
  const deadLettered = metrics.platform(MESSAGES_DEAD_LETTERED_TOTAL);
  const lag = metrics.platform(KAFKA_CONSUMER_LAG);
  const retried = metrics.platform(MESSAGES_RETRIED_TOTAL);
  const outage = metrics.platform(CONSUMER_DEPENDENCY_OUTAGE);
  outage.set({ group }, 0);
  return {
    onOutcome(outcome: DispatchOutcome, topic: string, count = 1) {
      const label = OUTCOME_LABEL[outcome];
      if (label) consumed.inc({ topic, group, outcome: label }, count);
      if (outcome === 'dead-lettered') deadLettered.inc({ topic, group }, count);
      if (outcome === 'retry-scheduled') retried.inc({ topic, group, reason: 'handler' }, count);
    },
    onOutageRetry(topic: string) {
      retried.inc({ topic, group, reason: 'dependency' });
    },
    onOutage(waiting: boolean) {
      outage.set({ group }, waiting ? 1 : 0);
    },
    onLag(topic: string, partition: number, value: number) {
      lag.set({ group, topic, partition: String(partition) }, value);
    },
  };
}

/** The application's health endpoints, when it has them (every service does, through observability). */
function healthOf(app: INestApplication): HealthController | undefined {
  try {
    return app.get(HealthController, { strict: false });
  } catch {
    return undefined;
  }
}

/** The event consumer's retries, dead letters and outages, as lines of the service's log. */
function consumerLogger(serviceName: string): DispatcherLogger {
  const log = new NestLogger(`${serviceName}:events`);
  return {
    info: (msg, context) => log.log({ msg, ...context }),
    warn: (msg, context) => log.warn({ msg, ...context }),
    error: (msg, context) => log.error({ msg, ...context }),
  };
}

export async function startServiceApp(options: ServiceAppOptions): Promise<RunningServiceApp> {
  // Paths are matched as written, by the router and by every middleware keyed on a path (raw
  // bodies, public paths): `/INGEST/v1/…` is no route, rather than a route its middleware missed.
  // The router exists once the adapter does and reads the setting only when created; it applies
  // its own flag to every route registered later, which is all of them.
  const http = new ExpressAdapter();
  const express = http.getInstance<{
    set(k: string, v: unknown): void;
    router: { caseSensitive: boolean };
  }>();
  express.set('case sensitive routing', true);
  express.router.caseSensitive = true;
  const app = await NestFactory.create<NestExpressApplication>(options.module, http, {
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  // First, so that every answer carries them, including the body parsers' refusals and 404s.
  app.disable('x-powered-by');
  app.use(securityHeaders());
  // Before every body reader (JSON, raw uploads), so each is bounded in time too.
  app.use(bodyDeadline(options.http.bodyDeadline));
  const limit = options.http.bodyLimit ?? '1mb';
  app.useBodyParser('json', { limit, verify: refuseDeeplyNestedJson });
  app.useBodyParser('urlencoded', { limit, extended: false });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new EdgeExceptionFilter(app.getHttpAdapter()));

  if (options.openApi) {
    const openApi = options.openApi;
    SwaggerModule.setup('docs', app, () => createOpenApiDocument(app, openApi));
  }

  if (options.grpc) {
    installGrpcInputCheck(app);
    // Initialised here rather than by connectMicroservice(), which builds every handler's
    // exception handling at once: the filter has to be in place before that.
    const grpc = app.connectMicroservice<MicroserviceOptions>(
      {
        transport: Transport.GRPC,
        options: {
          url: options.grpc.url,
          package: options.grpc.package,
          protoPath: options.grpc.protoPath,
          loader: options.grpc.loader,
          onLoadPackageDefinition: options.grpc.onLoadPackageDefinition,
        },
      },
      { deferInitialization: true },
    ) as NestMicroservice;
    grpc.useGlobalFilters(new GrpcErrorFilter());
    grpc.registerListeners();
    grpc.setIsInitialized(true);
    grpc.setIsInitHookCalled(true);
  }
  let consumers: { isMember?: boolean } | undefined;
  if (options.events) {
    const strategy = eventConsumerStrategy({
      logger: consumerLogger(options.events.serviceName),
      ...options.events,
      ...consumerMetrics(app.get(MetricsService), options.events.serviceName),
    });
    consumers = strategy.strategy as { isMember?: boolean };
    app.connectMicroservice<MicroserviceOptions>(strategy);
  }
  // HTTP first: a restarted instance serves its own traffic at once, while its consumers join
  // their group (which may take a rebalance). Readiness does not wait for them; `/health` says
  // whether they have joined.
  await app.listen(options.http.port, options.http.host ?? '127.0.0.1');
  if (consumers && 'isMember' in consumers) {
    const state = consumers;
    healthOf(app)?.addIndicator({
      name: 'consumers',
      required: false,
      isHealthy: () => state.isMember === true,
    });
  }
  try {
    await app.startAllMicroservices();
  } catch (error) {
    await app.close().catch(() => undefined);
    throw error;
  }
  const address = app.getHttpServer().address() as { port: number };
  let closing: Promise<void> | undefined;
  return {
    serviceName: options.serviceName,
    app,
    httpUrl: `http://${options.http.host ?? '127.0.0.1'}:${address.port}`,
    grpcUrl: options.grpc?.url,
    // Once: a process that runs several services may be asked to stop from more than one place.
    close: () => (closing ??= app.close()),
  };
}

/**
 * Stops a standalone service on SIGINT/SIGTERM: the consumers and the outbox relay finish what is
 * in flight, then the process exits. A process running several services (the embedded default)
 * handles the signals once for all of them instead, so each service's own shutdown runs once.
 */
export function closeOnSignals(service: Pick<RunningServiceApp, 'close' | 'serviceName'>): void {
  const stop = (signal: NodeJS.Signals) => {
    process.stdout.write(`${service.serviceName}: ${signal}, stopping\n`);
    service
      .close()
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        process.stderr.write(`${service.serviceName}: shutdown failed: ${String(error)}\n`);
        process.exit(1);
      });
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
