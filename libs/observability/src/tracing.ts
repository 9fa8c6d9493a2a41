// Loaded before anything else in a service's main.ts: instrumentations only patch modules that are
// required after the SDK starts, so this file imports OpenTelemetry packages and dependency-free
// local helpers only: no @nestjs, pg, kafkajs or @grpc/grpc-js, directly or through this library.
import { context, propagation, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { GrpcInstrumentation } from '@opentelemetry/instrumentation-grpc';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { KafkaJsInstrumentation } from '@opentelemetry/instrumentation-kafkajs';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { Resource } from '@opentelemetry/resources';
import { NodeSDK, tracing } from '@opentelemetry/sdk-node';
import { ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import type { IncomingMessage } from 'node:http';
import { isProbePath } from './probe-paths';

export interface TracingOptions {
  /** `service.name` of the spans; `OTEL_SERVICE_NAME` overrides it. */
  serviceName: string;
  /** `service.version` of the spans; `OTEL_RESOURCE_ATTRIBUTES` overrides it. */
  serviceVersion?: string;
}

interface TracingState {
  sdk: NodeSDK;
  /** Whether this SDK registered the global tracer provider, context manager and propagator. */
  registered: boolean;
  instrumentations: Array<{ disable(): void }>;
}

// Kept on globalThis rather than in a module variable so that a second copy of this file (another
// bundle, an isolated module registry) still finds the SDK the first copy started: the OTel API
// globals it registers are process-wide too.
const STATE_KEY = Symbol.for('safecity.observability.tracing');
type GlobalWithState = typeof globalThis & { [STATE_KEY]?: TracingState };

function state(): TracingState | undefined {
  return (globalThis as GlobalWithState)[STATE_KEY];
}

function setState(value: TracingState | undefined): void {
  (globalThis as GlobalWithState)[STATE_KEY] = value;
}

/**
 * Starts the OpenTelemetry Node SDK once per process and returns it; later calls (the all-in-one
 * runs four services in one process) return the SDK already running, whatever their options.
 *
 * Export is driven by the standard variables only:
 * - `OTEL_SDK_DISABLED=true`: nothing is started (no spans, no trace ids in logs);
 * - `OTEL_TRACES_EXPORTER` (`otlp`, `console`, `none`, comma-separated) when set;
 * - otherwise OTLP/HTTP when `OTEL_EXPORTER_OTLP_ENDPOINT` or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`
 *   is set, and no export at all when neither is.
 * Without an exporter spans are still recorded, so logs carry trace ids and `traceparent` still
 * travels over HTTP, gRPC and Kafka.
 */
export function startTracing(options: TracingOptions): NodeSDK {
  const running = state();
  if (running) return running.sdk;

  const instrumentations = [
    new HttpInstrumentation({
      // Probes and scrapes arrive every few seconds; as root spans they would drown real traffic.
      ignoreIncomingRequestHook: (req: IncomingMessage) => isProbePath(req.url),
    }),
    new GrpcInstrumentation(),
    new PgInstrumentation({
      // Outbox relays and readiness pings poll on timers; only queries that belong to a request
      // or a consumed message are worth a span.
      requireParentSpan: true,
      // Statement parameters hold plates, names and case data; they must not leave the process.
      enhancedDatabaseReporting: false,
    }),
    new KafkaJsInstrumentation(),
  ];

  const sdk = new NodeSDK({
    serviceName: env('OTEL_SERVICE_NAME') ?? options.serviceName,
    resource: new Resource(options.serviceVersion ? { [ATTR_SERVICE_VERSION]: options.serviceVersion } : {}),
    spanProcessors: spanProcessorsFromEnv(),
    // The SDK would otherwise start an OTLP log exporter by default; logs go to stdout via pino.
    ...(env('OTEL_LOGS_EXPORTER') ? {} : { logRecordProcessors: [] }),
    instrumentations,
  });
  sdk.start();

  setState({ sdk, registered: !isSdkDisabled(), instrumentations });
  return sdk;
}

/**
 * Flushes pending spans and stops the SDK started by {@link startTracing}; a later
 * `startTracing` starts a fresh one. Call it after `app.close()` so the last spans are exported.
 */
export async function shutdownTracing(): Promise<void> {
  const running = state();
  if (!running) return;
  setState(undefined);
  try {
    await running.sdk.shutdown();
  } finally {
    for (const instrumentation of running.instrumentations) instrumentation.disable();
    // NodeSDK.shutdown() leaves its providers registered globally, which would make a later
    // start's registration fail silently and keep spans going to the stopped provider.
    if (running.registered) {
      trace.disable();
      context.disable();
      propagation.disable();
    }
  }
}

function spanProcessorsFromEnv(): tracing.SpanProcessor[] {
  const requested = (env('OTEL_TRACES_EXPORTER') ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== '');
  const exporters =
    requested.length > 0
      ? requested
      : env('OTEL_EXPORTER_OTLP_ENDPOINT') || env('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT')
        ? ['otlp']
        : [];

  const processors: tracing.SpanProcessor[] = [];
  if (!exporters.includes('none')) {
    for (const name of new Set(exporters)) {
      if (name === 'otlp') {
        warnOnUnsupportedProtocol();
        // Reads OTEL_EXPORTER_OTLP_[TRACES_]ENDPOINT, _HEADERS, _TIMEOUT itself; the batch
        // processor reads OTEL_BSP_*.
        processors.push(new tracing.BatchSpanProcessor(new OTLPTraceExporter()));
      } else if (name === 'console') {
        processors.push(new tracing.SimpleSpanProcessor(new tracing.ConsoleSpanExporter()));
      } else {
        process.emitWarning(
          `OTEL_TRACES_EXPORTER value "${name}" is not supported here (use otlp, console or none); ignored`,
          'OpenTelemetryWarning',
        );
      }
    }
  }
  // NodeSDK registers no tracer provider when it has no processor, and then no span has an id:
  // a no-op processor keeps spans (and trace ids in logs and propagated headers) without export.
  if (processors.length === 0) processors.push(new tracing.NoopSpanProcessor());
  return processors;
}

function warnOnUnsupportedProtocol(): void {
  const protocol = env('OTEL_EXPORTER_OTLP_TRACES_PROTOCOL') ?? env('OTEL_EXPORTER_OTLP_PROTOCOL');
  if (protocol === 'grpc') {
    process.emitWarning(
      'OTLP trace export uses http/json; OTEL_EXPORTER_OTLP_PROTOCOL=grpc is not supported, ' +
        'point OTEL_EXPORTER_OTLP_ENDPOINT at the collector HTTP receiver (port 4318)',
      'OpenTelemetryWarning',
    );
  }
}

function isSdkDisabled(): boolean {
  return env('OTEL_SDK_DISABLED')?.toLowerCase() === 'true';
}

function env(name: string): string | undefined {
  const value = process.env[name]?.trim();
  return value ? value : undefined;
}
