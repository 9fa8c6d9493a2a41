import { Controller, DynamicModule, Get, Header, Inject, Injectable, Module } from '@nestjs/common';
import { ApiOkResponse, ApiProduces } from '@nestjs/swagger';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export const INGEST_DETECTIONS_TOTAL = 'safecity_ingest_detections_total';
export const KAFKA_CONSUMER_LAG = 'safecity_kafka_consumer_lag';
export const MATCHES_TOTAL = 'safecity_matches_total';
export const INCIDENT_SLA_BREACHES_TOTAL = 'safecity_incident_sla_breaches_total';
export const OUTBOX_PENDING = 'safecity_outbox_pending';
export const MESSAGES_CONSUMED_TOTAL = 'safecity_messages_consumed_total';
export const MESSAGES_DEAD_LETTERED_TOTAL = 'safecity_messages_dead_lettered_total';
export const MESSAGES_RETRIED_TOTAL = 'safecity_messages_retried_total';
export const CONSUMER_DEPENDENCY_OUTAGE = 'safecity_consumer_dependency_outage';

/**
 * The platform's shared metrics. Declared once here so every service that records one uses the
 * same type and label set, and dashboards can sum them across services. `service` is added to
 * every series by the registry and is not listed.
 */
export const PLATFORM_METRICS = {
  [INGEST_DETECTIONS_TOTAL]: {
    type: 'counter',
    help: 'Detections received from video analytics, by ingestion adapter, region and outcome (accepted, duplicate, rejected)',
    labelNames: ['adapter', 'region', 'outcome'],
  },
  [KAFKA_CONSUMER_LAG]: {
    type: 'gauge',
    help: 'Messages between the committed offset of a consumer group and the end of a partition',
    labelNames: ['group', 'topic', 'partition'],
  },
  [MATCHES_TOTAL]: {
    type: 'counter',
    help: 'Watchlist and rule matches, by kind (plate, face, behaviour) and region',
    labelNames: ['kind', 'region'],
  },
  [INCIDENT_SLA_BREACHES_TOTAL]: {
    type: 'counter',
    help: 'Incident SLA timers that expired, by SLA stage, priority and region',
    labelNames: ['stage', 'priority', 'region'],
  },
  [OUTBOX_PENDING]: {
    type: 'gauge',
    help: 'Outbox rows written but not yet published',
    labelNames: [],
  },
  [MESSAGES_CONSUMED_TOTAL]: {
    type: 'counter',
    help: 'Messages handled by consumers, by topic, consumer group and outcome (processed, duplicate, retried, failed)',
    labelNames: ['topic', 'group', 'outcome'],
  },
  [MESSAGES_DEAD_LETTERED_TOTAL]: {
    type: 'counter',
    help: 'Messages sent to a dead-letter topic, by original topic and consumer group',
    labelNames: ['topic', 'group'],
  },
  [MESSAGES_RETRIED_TOTAL]: {
    type: 'counter',
    help: 'Deliveries tried again, by original topic, consumer group and reason (handler: sent to the retry topic; dependency: waited in place for an unavailable dependency)',
    labelNames: ['topic', 'group', 'reason'],
  },
  [CONSUMER_DEPENDENCY_OUTAGE]: {
    type: 'gauge',
    help: '1 while a consumer group waits for an unavailable dependency (database, broker, gRPC service), else 0',
    labelNames: ['group'],
  },
} as const;

export type PlatformMetricName = keyof typeof PLATFORM_METRICS;
type PlatformLabels<N extends PlatformMetricName> = (typeof PLATFORM_METRICS)[N]['labelNames'][number];
export type PlatformMetric<N extends PlatformMetricName> =
  (typeof PLATFORM_METRICS)[N]['type'] extends 'counter'
    ? Counter<PlatformLabels<N>>
    : Gauge<PlatformLabels<N>>;

export const METRICS_OPTIONS = 'safecity:METRICS_OPTIONS';

export interface MetricsModuleOptions {
  serviceName: string;
  /** Include the process-wide Node.js metrics (CPU, memory, event loop, GC) in the scrape. Default true. */
  defaultMetrics?: boolean;
}

type MetricKind = 'counter' | 'gauge' | 'histogram';
type AnyMetric = Counter<string> | Gauge<string> | Histogram<string>;

let processMetrics: Registry | undefined;

// Node metrics describe the process, not a service, and prom-client refuses to register them
// twice in one registry; one registry per process is filled once and merged into every scrape.
function processRegistry(): Registry {
  if (!processMetrics) {
    processMetrics = new Registry();
    collectDefaultMetrics({ register: processMetrics });
  }
  return processMetrics;
}

/**
 * The metrics of one service. Each instance owns its registry (never prom-client's global one),
 * so several services in one process keep their own series and labels.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  readonly serviceName: string;
  private readonly includeProcessMetrics: boolean;
  private readonly created = new Map<
    string,
    { kind: MetricKind; labelNames: readonly string[]; metric: AnyMetric }
  >();

  constructor(@Inject(METRICS_OPTIONS) options: MetricsModuleOptions) {
    this.serviceName = options.serviceName;
    this.registry.setDefaultLabels({ service: options.serviceName });
    this.includeProcessMetrics = options.defaultMetrics !== false;
    if (this.includeProcessMetrics) processRegistry();
  }

  /** The counter `name`, created on first use; a later call must use the same label names. */
  counter<L extends string = string>(name: string, help: string, labelNames: readonly L[] = []): Counter<L> {
    return this.getOrCreate(
      name,
      'counter',
      labelNames,
      () => new Counter({ name, help, labelNames, registers: [this.registry] }),
    );
  }

  /** The gauge `name`, created on first use; a later call must use the same label names. */
  gauge<L extends string = string>(name: string, help: string, labelNames: readonly L[] = []): Gauge<L> {
    return this.getOrCreate(
      name,
      'gauge',
      labelNames,
      () => new Gauge({ name, help, labelNames, registers: [this.registry] }),
    );
  }

  /**
   * The histogram `name`, created on first use; a later call must use the same label names.
   * `buckets` only apply on creation (prom-client's defaults suit durations in seconds).
   */
  histogram<L extends string = string>(
    name: string,
    help: string,
    labelNames: readonly L[] = [],
    buckets?: number[],
  ): Histogram<L> {
    return this.getOrCreate(
      name,
      'histogram',
      labelNames,
      () =>
        new Histogram({
          name,
          help,
          labelNames,
          registers: [this.registry],
          ...(buckets ? { buckets } : {}),
        }),
    );
  }

  /** One of {@link PLATFORM_METRICS}, typed with its label names. */
  platform<N extends PlatformMetricName>(name: N): PlatformMetric<N> {
    const definition = PLATFORM_METRICS[name];
    const labelNames: readonly string[] = definition.labelNames;
    const metric =
      definition.type === 'counter'
        ? this.counter(name, definition.help, labelNames)
        : this.gauge(name, definition.help, labelNames);
    return metric as PlatformMetric<N>;
  }

  /** Prometheus text exposition of this service's metrics plus the process metrics. */
  async scrape(): Promise<string> {
    if (!this.includeProcessMetrics) return this.registry.metrics();
    // The merged registry is built per scrape so metrics created since the last one are included,
    // and gets the service label too, so process metrics can be filtered by service like the rest.
    const merged = Registry.merge([processRegistry(), this.registry]);
    merged.setDefaultLabels({ service: this.serviceName });
    return merged.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  private getOrCreate<M extends AnyMetric>(
    name: string,
    kind: MetricKind,
    labelNames: readonly string[],
    create: () => M,
  ): M {
    const existing = this.created.get(name);
    if (existing) {
      if (existing.kind !== kind || !sameLabelNames(existing.labelNames, labelNames)) {
        throw new Error(
          `Metric ${name} already exists as a ${existing.kind} with labels [${existing.labelNames.join(', ')}]; ` +
            `asked for a ${kind} with labels [${labelNames.join(', ')}]`,
        );
      }
      return existing.metric as M;
    }
    if (this.includeProcessMetrics && processRegistry().getSingleMetric(name)) {
      throw new Error(`Metric ${name} is a default Node.js process metric; choose another name`);
    }
    const metric = create();
    this.created.set(name, { kind, labelNames: [...labelNames], metric });
    return metric;
  }
}

function sameLabelNames(a: readonly string[], b: readonly string[]): boolean {
  const left = new Set(a);
  const right = new Set(b);
  return left.size === right.size && [...left].every((label) => right.has(label));
}

@Controller()
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get('metrics')
  @ApiProduces(Registry.PROMETHEUS_CONTENT_TYPE)
  @ApiOkResponse({ description: 'Prometheus text exposition format', schema: { type: 'string' } })
  @Header('Content-Type', Registry.PROMETHEUS_CONTENT_TYPE)
  @Header('Cache-Control', 'no-store')
  scrape(): Promise<string> {
    return this.metrics.scrape();
  }
}

@Module({})
export class MetricsModule {
  /** Global: any module of the app can inject {@link MetricsService}. Serves `GET /metrics`. */
  static forRoot(options: MetricsModuleOptions): DynamicModule {
    return {
      module: MetricsModule,
      global: true,
      providers: [{ provide: METRICS_OPTIONS, useValue: options }, MetricsService],
      controllers: [MetricsController],
      exports: [MetricsService],
    };
  }
}
