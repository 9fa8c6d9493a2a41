import {
  Controller,
  DynamicModule,
  Get,
  Inject,
  Injectable,
  InjectionToken,
  LoggerService,
  Module,
  ModuleMetadata,
  OnModuleInit,
  Res,
  Type,
} from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import {
  HealthCheck,
  HealthCheckResult,
  HealthCheckService,
  HealthIndicatorFunction,
  HealthIndicatorResult,
  HealthIndicatorService,
  TerminusModule,
} from '@nestjs/terminus';

/**
 * The data source pinged by readiness when no `dataSourceToken` is configured: a TypeORM
 * `DataSource`, or anything with `query()`, provided by any module of the application.
 */
export const READINESS_DATA_SOURCE = 'safecity:READINESS_DATA_SOURCE';
/**
 * A {@link BusHealth}, or an array of them, that readiness checks. Every provider of this token in
 * any module of the application counts, exported or not, so several modules may each provide one.
 */
export const BUS_HEALTH = 'safecity:BUS_HEALTH';
const HEALTH_OPTIONS = 'safecity:HEALTH_OPTIONS';

const DEFAULT_TIMEOUT_MS = 1000;
const MAX_MESSAGE_LENGTH = 300;

/** A dependency readiness waits for: the event bus, or anything else that can say it is usable. */
export interface BusHealth {
  /** Key of this check in the readiness body, e.g. `kafka` or `in-process-bus`. */
  name: string;
  isHealthy(): Promise<boolean> | boolean;
  /**
   * Whether the instance cannot serve its own traffic without it (default true). A dependency the
   * instance can do without for a while — the bus, for a service that queues its events in an
   * outbox — is not required: while it is down readiness stays up and `/health` says `degraded`.
   */
  required?: boolean;
}

/** The part of a TypeORM `DataSource` readiness uses. */
export interface QueryableDataSource {
  query(sql: string): Promise<unknown>;
  readonly isInitialized?: boolean;
}

/** A readiness indicator object, or a token resolving to one or to an array of them. */
export type ReadinessIndicator = BusHealth | InjectionToken;

export interface HealthModuleOptions {
  /** Token of the data source to ping, e.g. `getDataSourceToken()`; instead of {@link READINESS_DATA_SOURCE}. */
  dataSourceToken?: InjectionToken;
  /** Checks besides the database and whatever {@link BUS_HEALTH} provides. */
  indicators?: ReadinessIndicator[];
  /** Modules to add to the application for the tokens above. */
  imports?: ModuleMetadata['imports'];
  /** Time each readiness check may take before it counts as down. Default 1000 ms. */
  timeoutMs?: number;
  /** Logger for failed checks (terminus option): a LoggerService class, or false for none. */
  logger?: Type<LoggerService> | boolean;
}

interface HealthSettings {
  timeoutMs: number;
  dataSourceToken?: InjectionToken;
  indicators: readonly ReadinessIndicator[];
}

// Readiness dependencies are looked up in the whole application rather than injected: a service
// typically provides BUS_HEALTH in its own root module, which this module cannot see, and a
// missing dependency must not quietly drop its check.

@Injectable()
export class DatabaseHealthIndicator implements OnModuleInit {
  private dataSource?: QueryableDataSource;

  constructor(
    private readonly indicators: HealthIndicatorService,
    @Inject(HEALTH_OPTIONS) private readonly settings: HealthSettings,
    private readonly moduleRef: ModuleRef,
  ) {}

  /** Resolves the configured `dataSourceToken`, else {@link READINESS_DATA_SOURCE} if any module provides it. */
  onModuleInit(): void {
    const token = this.settings.dataSourceToken ?? READINESS_DATA_SOURCE;
    const found =
      this.settings.dataSourceToken === undefined
        ? findAll(this.moduleRef, token)[0]
        : findOne(this.moduleRef, token);
    if (found === undefined || found === null) return;
    if (!isQueryable(found))
      throw new Error(`The readiness data source ${describeToken(token)} has no query() method`);
    this.dataSource = found;
  }

  /** Whether a data source was provided; without one readiness has no database check. */
  get configured(): boolean {
    return this.dataSource !== undefined;
  }

  /** Up when `SELECT 1` answers within the timeout. */
  async pingCheck(key = 'database', timeoutMs = this.settings.timeoutMs): Promise<HealthIndicatorResult> {
    const check = this.indicators.check(key);
    const dataSource = this.dataSource;
    if (!dataSource) return check.down({ message: 'no data source configured' });
    if (dataSource.isInitialized === false) return check.down({ message: 'data source not initialized' });
    try {
      await withTimeout(dataSource.query('SELECT 1'), timeoutMs);
      return check.up();
    } catch (error) {
      return check.down({ message: describe(error) });
    }
  }
}

@Injectable()
export class BusHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    @Inject(HEALTH_OPTIONS) private readonly settings: HealthSettings,
  ) {}

  /** Up when `bus.isHealthy()` answers true within the timeout; a throw or a hang is down. */
  async check(bus: BusHealth, timeoutMs = this.settings.timeoutMs): Promise<HealthIndicatorResult> {
    const check = this.indicators.check(bus.name);
    try {
      // Through a promise so a synchronous throw becomes a down result, not a 500.
      const healthy = await withTimeout(
        Promise.resolve().then(() => bus.isHealthy()),
        timeoutMs,
      );
      return healthy ? check.up() : check.down({ message: 'reported unhealthy' });
    } catch (error) {
      return check.down({ message: describe(error) });
    }
  }
}

/** `GET /health`: every check, required or not, and what they mean for the instance together. */
export interface HealthReport {
  /** `ok`: all up; `degraded`: serving, with a dependency it can do without down; `down`: not ready. */
  status: 'ok' | 'degraded' | 'down';
  checks: Record<string, { status: 'up' | 'down'; required: boolean; message?: string }>;
}

@Controller('health')
export class HealthController implements OnModuleInit {
  private readiness: readonly BusHealth[] = [];
  /** Indicators added once the application runs (its event consumers, say). */
  private readonly added: BusHealth[] = [];

  constructor(
    private readonly health: HealthCheckService,
    private readonly database: DatabaseHealthIndicator,
    private readonly bus: BusHealthIndicator,
    private readonly moduleRef: ModuleRef,
    @Inject(HEALTH_OPTIONS) private readonly settings: HealthSettings,
  ) {}

  onModuleInit(): void {
    const resolved = this.settings.indicators.map((indicator) =>
      isBusHealth(indicator) ? indicator : findOne(this.moduleRef, indicator),
    );
    this.readiness = collectIndicators([...findAll(this.moduleRef, BUS_HEALTH), ...resolved]);
  }

  /**
   * Answers while the process can serve HTTP at all. Deliberately checks nothing (and bypasses
   * terminus, which answers 503 once shutdown begins): a lost dependency is readiness' concern,
   * and restarting the process would not bring it back.
   */
  @Get('live')
  @HealthCheck()
  live(): HealthCheckResult {
    return { status: 'ok', info: {}, error: {}, details: {} };
  }

  /** Adds a check the application can only make once it runs, e.g. whether its consumers joined. */
  addIndicator(indicator: BusHealth): void {
    this.added.push(indicator);
  }

  private get indicators(): BusHealth[] {
    return [...this.readiness, ...this.added];
  }

  /**
   * 200 when the database and every required indicator are up; otherwise 503 with terminus' body.
   * Whether the instance can serve its own traffic: a dependency it can do without for a while
   * does not take it out of the load balancer (see {@link BusHealth.required}).
   */
  @Get('ready')
  @HealthCheck()
  ready(): Promise<HealthCheckResult> {
    const checks: HealthIndicatorFunction[] = [];
    if (this.database.configured) checks.push(() => this.database.pingCheck());
    for (const indicator of this.indicators) {
      if (indicator.required !== false) checks.push(() => this.bus.check(indicator));
    }
    return this.health.check(checks);
  }

  /** Every check, with `degraded` when only indicators that are not required are down; 503 when not ready. */
  @Get()
  async report(
    @Res({ passthrough: true }) response: { status(code: number): unknown },
  ): Promise<HealthReport> {
    const checks: HealthReport['checks'] = {};
    const results: { result: HealthIndicatorResult; required: boolean }[] = [];
    if (this.database.configured) results.push({ result: await this.database.pingCheck(), required: true });
    const indicators = this.indicators;
    const answers = await Promise.all(indicators.map((indicator) => this.bus.check(indicator)));
    answers.forEach((result, i) => results.push({ result, required: indicators[i].required !== false }));
    for (const { result, required } of results) {
      for (const [name, detail] of Object.entries(result)) {
        const { status, message } = detail as { status: string; message?: unknown };
        checks[name] = {
          status: status === 'up' ? 'up' : 'down',
          required,
          ...(typeof message === 'string' ? { message } : {}),
        };
      }
    }
    const down = Object.values(checks).filter((c) => c.status === 'down');
    const status = down.some((c) => c.required) ? 'down' : down.length ? 'degraded' : 'ok';
    if (status === 'down') response.status(503);
    return { status, checks };
  }
}

@Module({})
export class HealthModule {
  /** `GET /health/live` and `GET /health/ready`. */
  static forRoot(options: HealthModuleOptions = {}): DynamicModule {
    const settings: HealthSettings = {
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      dataSourceToken: options.dataSourceToken,
      indicators: (options.indicators ?? []).filter((indicator) => indicator !== BUS_HEALTH),
    };
    return {
      module: HealthModule,
      imports: [
        TerminusModule.forRoot({ errorLogStyle: 'json', logger: options.logger ?? true }),
        ...(options.imports ?? []),
      ],
      controllers: [HealthController],
      providers: [
        { provide: HEALTH_OPTIONS, useValue: settings },
        DatabaseHealthIndicator,
        BusHealthIndicator,
      ],
      exports: [DatabaseHealthIndicator, BusHealthIndicator],
    };
  }
}

function isBusHealth(value: unknown): value is BusHealth {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as BusHealth).name === 'string' &&
    typeof (value as BusHealth).isHealthy === 'function'
  );
}

function isQueryable(value: unknown): value is QueryableDataSource {
  return (
    typeof value === 'object' && value !== null && typeof (value as QueryableDataSource).query === 'function'
  );
}

function collectIndicators(resolved: readonly unknown[]): BusHealth[] {
  const all = new Set<BusHealth>();
  for (const value of resolved) {
    if (value === undefined || value === null) continue;
    for (const candidate of Array.isArray(value) ? value : [value]) {
      if (!isBusHealth(candidate)) {
        throw new Error(
          'A readiness indicator must be an object with a string `name` and an `isHealthy()` method',
        );
      }
      all.add(candidate);
    }
  }
  return [...all];
}

/** Every instance provided under `token` anywhere in the application (none is fine). */
function findAll(moduleRef: ModuleRef, token: InjectionToken): unknown[] {
  try {
    return moduleRef.get<unknown, unknown>(token, { strict: false, each: true });
  } catch (error) {
    if (isUnknownElement(error)) return [];
    throw error;
  }
}

/** The instance provided under `token` anywhere in the application; a configuration error if none. */
function findOne(moduleRef: ModuleRef, token: InjectionToken): unknown {
  try {
    return moduleRef.get<unknown, unknown>(token, { strict: false });
  } catch (error) {
    if (isUnknownElement(error)) {
      throw new Error(
        `Readiness is configured with ${describeToken(token)}, which no module of the application provides`,
      );
    }
    throw error;
  }
}

function isUnknownElement(error: unknown): boolean {
  // @nestjs/core does not export the class from its entry point.
  return error instanceof Error && error.constructor.name === 'UnknownElementException';
}

function describeToken(token: InjectionToken): string {
  return typeof token === 'function' ? token.name : String(token);
}

function withTimeout<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
    timer.unref();
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.length > MAX_MESSAGE_LENGTH ? `${message.slice(0, MAX_MESSAGE_LENGTH)}…` : message;
}
