import { eventCodecFor, grpcOptions, PreventionGrpc, TOPIC_SETTINGS } from '@safecity/contracts';
import type { BusTransport } from '@safecity/messaging';
import { migrateServiceSchema } from '@safecity/persistence';
import type { IdentitySetup } from '@safecity/security';
import { startServiceApp, type RunningServiceApp } from '@safecity/service-kit';
import { DataSource } from 'typeorm';
import {
  PREVENTION_SERVICE,
  PreventionModule,
  preventionDataSourceOptions,
  type PreventionRetentionOptions,
} from './prevention.module';
import openApiResponses from './openapi-responses.json';

export interface PreventionRuntime {
  databaseUrl: string;
  transport: BusTransport;
  http: { port: number; host?: string };
  /** `host:port` the Prevention gRPC server binds. */
  grpcUrl: string;
  identity: IdentitySetup;
  runMigrations: boolean;
  /** Deliveries of an event before it is dead-lettered. */
  maxAttempts?: number;
  sessionTimeoutMs?: number;
  /**
   * Name the event consumer's group is derived from; default the service's. Suites and benchmarks
   * that share a broker with other instances give their own, so partitions are not split with them.
   */
  eventConsumerName?: string;
  retention?: PreventionRetentionOptions;
  /** Only the security tests turn it off (see PreventionModuleOptions). */
  regionFilterInQueries?: boolean;
}

export async function migratePrevention(databaseUrl: string): Promise<string[]> {
  return migrateServiceSchema(new DataSource(preventionDataSourceOptions(databaseUrl, 'migrations')));
}

export async function startPrevention(runtime: PreventionRuntime): Promise<RunningServiceApp> {
  if (runtime.runMigrations) await migratePrevention(runtime.databaseUrl);
  return startServiceApp({
    serviceName: PREVENTION_SERVICE,
    module: PreventionModule.forRoot({
      databaseUrl: runtime.databaseUrl,
      transport: runtime.transport,
      identity: runtime.identity,
      retention: runtime.retention,
      regionFilterInQueries: runtime.regionFilterInQueries,
    }),
    http: runtime.http,
    grpc: { ...grpcOptions(PreventionGrpc), url: runtime.grpcUrl },
    events: {
      serviceName: runtime.eventConsumerName ?? PREVENTION_SERVICE,
      transport: runtime.transport,
      codecs: eventCodecFor,
      topicConfigs: TOPIC_SETTINGS,
      maxAttempts: runtime.maxAttempts,
      sessionTimeoutMs: runtime.sessionTimeoutMs,
    },
    openApi: {
      title: 'Safe City prevention',
      description:
        'Prevention cases, measures, triggers from incidents, prevention KPIs and place-based forecasts.',
      responses: openApiResponses,
    },
  });
}
