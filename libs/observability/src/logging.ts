import { DynamicModule, Inject, Injectable, Provider, Scope } from '@nestjs/common';
import { isSpanContextValid, trace } from '@opentelemetry/api';
import { LoggerModule, PARAMS_PROVIDER_TOKEN, Params, PinoLogger } from 'nestjs-pino';
import { storage } from 'nestjs-pino/storage';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { hostname } from 'node:os';
import pino, { DestinationStream, LevelWithSilent, Logger, LoggerOptions } from 'pino';
import type { Options as PinoHttpOptions } from 'pino-http';
import { loggableError } from './error-redaction';
import { isProbePath } from './probe-paths';

/** The service's root pino logger (the one behind `PinoLogger` and the HTTP access log). */
export const SERVICE_LOGGER = 'safecity:SERVICE_LOGGER';

export interface LoggingOptions {
  serviceName: string;
  /** Overrides `LOG_LEVEL`. */
  level?: LevelWithSilent;
  /** Where JSON lines go; stdout when omitted. */
  stream?: DestinationStream;
}

export interface TraceFields {
  trace_id: string;
  span_id: string;
}

/**
 * Credentials, and `x-purpose`: the free text a person gives for reading personal data belongs in
 * the audit record, where it is kept with the read, not in every access log line.
 */
const REDACTED_HEADERS = [
  'authorization',
  'proxy-authorization',
  'x-api-key',
  'cookie',
  'set-cookie',
  'x-purpose',
];

/**
 * Header paths removed from every line: the access log's `req.headers` / `res.headers` and any
 * `headers` object a caller logs itself (at top level or one level down).
 */
export const REDACTED_PATHS: readonly string[] = REDACTED_HEADERS.flatMap((header) => [
  `headers["${header}"]`,
  `*.headers["${header}"]`,
]);

/** Ids of the active OpenTelemetry span, or undefined outside a (valid) span. */
export function activeTraceFields(): TraceFields | undefined {
  const span = trace.getActiveSpan();
  if (!span) return undefined;
  const spanContext = span.spanContext();
  if (!isSpanContextValid(spanContext)) return undefined;
  return { trace_id: spanContext.traceId, span_id: spanContext.spanId };
}

/**
 * `explicit`, else `LOG_LEVEL`, else `silent` under `NODE_ENV=test` and `info` elsewhere.
 * An unknown level fails at startup rather than with pino's less obvious message.
 */
export function resolveLogLevel(explicit?: string): LevelWithSilent {
  const raw =
    explicit?.trim() ||
    process.env['LOG_LEVEL']?.trim() ||
    (process.env['NODE_ENV'] === 'test' ? 'silent' : 'info');
  const level = raw.toLowerCase();
  if (level !== 'silent' && !(level in pino.levels.values)) {
    throw new Error(`Unknown log level "${raw}": use trace, debug, info, warn, error, fatal or silent`);
  }
  return level as LevelWithSilent;
}

/** pino options shared by every service: JSON, ISO time, `service`, trace ids, redaction. */
export function createLoggerOptions(options: Pick<LoggingOptions, 'serviceName' | 'level'>): LoggerOptions {
  return {
    level: resolveLogLevel(options.level),
    base: { service: options.serviceName, pid: process.pid, hostname: hostname() },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    mixin: () => activeTraceFields() ?? {},
    redact: { paths: [...REDACTED_PATHS], censor: '[REDACTED]' },
    // Errors without the values that caused them (statement parameters, refused rows, bodies).
    serializers: { err: loggableError, error: errorOrValue },
  };
}

/** `error` fields hold an Error or, by convention here, an already described string. */
function errorOrValue(value: unknown): unknown {
  return value instanceof Error ? loggableError(value) : value;
}

interface SerializedRequest {
  id?: unknown;
  method?: string;
  url?: string;
  headers?: Record<string, unknown>;
  remoteAddress?: string;
}

/**
 * The access log's view of a request: the path without its query string, and neither the parsed
 * query nor the route parameters, since queries carry what people search for (plates, names).
 */
export function loggableRequest(req: SerializedRequest): SerializedRequest {
  const url = typeof req.url === 'string' ? req.url.split('?')[0] : req.url;
  return { id: req.id, method: req.method, url, headers: req.headers, remoteAddress: req.remoteAddress };
}

/** A root logger for one service, usable before (or without) Nest. */
export function createServiceLogger(options: LoggingOptions): Logger {
  return pino(createLoggerOptions(options), options.stream ?? stdout());
}

/**
 * nestjs-pino's `LoggerModule.forRoot` for one service: JSON access log (none for probes and
 * scrapes), request ids from `x-request-id`, and a `PinoLogger` bound to this service's logger.
 */
export function loggingModule(options: LoggingOptions): DynamicModule {
  const root = createServiceLogger(options);
  const pinoHttp: PinoHttpOptions = {
    logger: root,
    genReqId: requestId,
    // 503 is a dependency outage, logged once when it begins and once when it ends by the edge
    // that answers it: its requests are no errors of their own.
    customLogLevel: (_req, res, err) =>
      err || (res.statusCode >= 500 && res.statusCode !== 503)
        ? 'error'
        : res.statusCode >= 400
          ? 'warn'
          : 'info',
    autoLogging: { ignore: (req) => isProbePath(originalUrl(req)) },
    serializers: { req: loggableRequest, err: loggableError },
  };
  const base = LoggerModule.forRoot({ pinoHttp });

  const providers: Provider[] = [
    ...(base.providers ?? []).filter((provider) => provider !== PinoLogger),
    { provide: SERVICE_LOGGER, useValue: root },
    { provide: PinoLogger, useClass: ServicePinoLogger, scope: Scope.TRANSIENT },
  ];
  return { ...base, providers, exports: [...(base.exports ?? []), SERVICE_LOGGER] };
}

/**
 * nestjs-pino logs outside a request through a process-wide logger made by whichever app started
 * first, so in the all-in-one every consumer and timer would log as that service. This logger
 * falls back to its own service's root instead, and also ignores a request logger of another
 * service (an in-process event handled inside that service's request context).
 */
@Injectable({ scope: Scope.TRANSIENT })
export class ServicePinoLogger extends PinoLogger {
  constructor(
    @Inject(PARAMS_PROVIDER_TOKEN) params: Params,
    @Inject(SERVICE_LOGGER) private readonly serviceRoot: Logger,
  ) {
    super(params);
  }

  override get logger(): Logger {
    const scoped = storage.getStore()?.logger;
    // pino children inherit from their parent's object, so a request logger of this service has
    // this root on its prototype chain.
    if (
      scoped &&
      (scoped === this.serviceRoot || Object.prototype.isPrototypeOf.call(this.serviceRoot, scoped))
    ) {
      return scoped;
    }
    return this.serviceRoot;
  }
}

const REQUEST_ID = /^[\w.:-]{1,128}$/;

function requestId(req: IncomingMessage, res: ServerResponse): string {
  const incoming = req.headers['x-request-id'];
  // Reuse the caller's id (gateway, other service) only when it cannot inject anything odd.
  const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
  res.setHeader('x-request-id', id);
  return id;
}

function originalUrl(req: IncomingMessage): string | undefined {
  // Express strips a middleware's mount path from req.url; originalUrl keeps the full path.
  return (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url;
}

let sharedStdout: DestinationStream | undefined;

// Synchronous so a crash loses no line already logged; one writer shared by every service in the
// process.
function stdout(): DestinationStream {
  sharedStdout ??= pino.destination({ dest: 1, sync: true });
  return sharedStdout;
}
