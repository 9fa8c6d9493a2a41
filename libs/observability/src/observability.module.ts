import { DynamicModule, InjectionToken, Module, ModuleMetadata } from '@nestjs/common';
import { Logger } from 'nestjs-pino';
import { HealthModule, HealthModuleOptions, ReadinessIndicator } from './health';
import { loggingModule, LoggingOptions } from './logging';
import { MetricsModule, MetricsModuleOptions } from './metrics';

export interface ObservabilityModuleOptions {
  /** `service` field of every log line and `service` label of every metric. */
  serviceName: string;
  /** Token of the data source readiness pings, e.g. `getDataSourceToken()` from @nestjs/typeorm. */
  dataSourceToken?: InjectionToken;
  /** Readiness checks besides the database and whatever `BUS_HEALTH` provides. */
  indicators?: ReadinessIndicator[];
  /** Modules to add to the application for `dataSourceToken` or indicator tokens. */
  imports?: ModuleMetadata['imports'];
  logging?: Omit<LoggingOptions, 'serviceName'>;
  metrics?: Omit<MetricsModuleOptions, 'serviceName'>;
  health?: Pick<HealthModuleOptions, 'timeoutMs' | 'logger'>;
}

/**
 * Logging, metrics and health for one service, imported once in its root module. Global: every
 * module of the app can inject `MetricsService`, `PinoLogger` and `Logger`. Each Nest application
 * gets its own logger and metrics registry, so the services of the all-in-one do not mix.
 */
@Module({})
export class ObservabilityModule {
  static forRoot(options: ObservabilityModuleOptions): DynamicModule {
    const { serviceName } = options;
    const metrics = MetricsModule.forRoot({ ...options.metrics, serviceName });
    return {
      module: ObservabilityModule,
      global: true,
      imports: [
        loggingModule({ ...options.logging, serviceName }),
        metrics,
        HealthModule.forRoot({
          dataSourceToken: options.dataSourceToken,
          indicators: options.indicators,
          imports: options.imports,
          timeoutMs: options.health?.timeoutMs,
          // Failed checks are logged through this service's logger, not Nest's process-wide one.
          logger: options.health?.logger ?? Logger,
        }),
      ],
      exports: [metrics],
    };
  }
}
