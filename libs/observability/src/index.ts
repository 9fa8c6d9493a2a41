export { startTracing, shutdownTracing, type TracingOptions } from './tracing';
export { isProbePath } from './probe-paths';
export { describeLoggableError, loggableError, loggableMessage, type LoggableError } from './error-redaction';
export {
  activeTraceFields,
  createLoggerOptions,
  createServiceLogger,
  loggingModule,
  type LoggingOptions,
  REDACTED_PATHS,
  resolveLogLevel,
  SERVICE_LOGGER,
  ServicePinoLogger,
  type TraceFields,
} from './logging';
export {
  INCIDENT_SLA_BREACHES_TOTAL,
  INGEST_DETECTIONS_TOTAL,
  KAFKA_CONSUMER_LAG,
  MATCHES_TOTAL,
  MESSAGES_CONSUMED_TOTAL,
  MESSAGES_DEAD_LETTERED_TOTAL,
  METRICS_OPTIONS,
  MetricsController,
  MetricsModule,
  type MetricsModuleOptions,
  MetricsService,
  OUTBOX_PENDING,
  MESSAGES_RETRIED_TOTAL,
  CONSUMER_DEPENDENCY_OUTAGE,
  PLATFORM_METRICS,
  type PlatformMetric,
  type PlatformMetricName,
} from './metrics';
export {
  BUS_HEALTH,
  type BusHealth,
  BusHealthIndicator,
  DatabaseHealthIndicator,
  HealthController,
  HealthModule,
  type HealthModuleOptions,
  type QueryableDataSource,
  READINESS_DATA_SOURCE,
  type ReadinessIndicator,
} from './health';
export { ObservabilityModule, type ObservabilityModuleOptions } from './observability.module';
