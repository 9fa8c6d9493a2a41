import { eventCodecFor, grpcOptions, IncidentsGrpc, TOPIC_SETTINGS } from '@safecity/contracts';
import type { BusTransport } from '@safecity/messaging';
import { migrateServiceSchema } from '@safecity/persistence';
import type { IdentitySetup } from '@safecity/security';
import { startServiceApp, type RunningServiceApp } from '@safecity/service-kit';
import { DataSource } from 'typeorm';
import type { CitizenFloodLimit } from './citizen-reports/citizen-report-status';
import type { CorrelationRules } from './correlation/correlation-rules';
import { INCIDENTS_SERVICE, IncidentsModule, incidentsDataSourceOptions } from './incidents.module';
import type { SlaPolicy } from './operations/sla-policy';
import openApiResponses from './openapi-responses.json';
import type { IncidentsRetention } from './retention/retention-policies';

export interface IncidentsRuntime {
  databaseUrl: string;
  transport: BusTransport;
  http: { port: number; host?: string };
  /** `host:port` the `Incidents` gRPC server binds. */
  grpcUrl: string;
  /** `host:port` of camera-registry's gRPC server (operations centers). */
  cameraRegistryGrpcUrl?: string;
  /** `host:port` of recognition's gRPC server, where face matches are confirmed. */
  recognitionGrpcUrl?: string;
  identity: IdentitySetup;
  runMigrations: boolean;
  /** Deliveries of an event before it is dead-lettered. */
  maxAttempts?: number;
  sessionTimeoutMs?: number;
  correlation?: CorrelationRules;
  sla?: SlaPolicy;
  /**
   * Consumer group and outbox source name, default `incidents`. Only tests and benchmarks that
   * share a broker with other runs give each run its own.
   */
  serviceName?: string;
  /** Reports one citizen id may send in a burst, and per minute after it. */
  citizenFlood?: CitizenFloodLimit;
  /** Reports without a citizen id one source (channel and submitter) may send, likewise. */
  anonymousCitizenReports?: CitizenFloodLimit;
  /** Live streams (`GET /incidents/stream`) one identity may hold open at once (default 10). */
  liveStreamsPerUser?: number;
  /** How often SLA deadlines are checked (default 5 s); 0: never by itself. */
  slaCheckIntervalMs?: number;
  /** How often expired data is erased (default hourly); 0: never by itself. */
  retentionIntervalMs?: number;
  /** How long incidents and citizens' contact data are kept (defaults in the README). */
  retention?: IncidentsRetention;
  /**
   * How often the live feed looks for changes other instances committed (default 250 ms); this
   * instance's own commits go out as they happen.
   */
  liveFeedPollIntervalMs?: number;
  /**
   * The least time between two writes of the live feed to its clients (default 20 ms): changes
   * committed meanwhile go out together.
   */
  liveFeedFlushIntervalMs?: number;
  /**
   * The least time between two passes of the outbox relay while changes trickle in (default
   * 50 ms): the `IncidentChanged` events of the commits meanwhile go out in one request.
   */
  outboxLingerMs?: number;
}

export async function migrateIncidents(databaseUrl: string): Promise<string[]> {
  return migrateServiceSchema(new DataSource(incidentsDataSourceOptions(databaseUrl, 'migrations')));
}

export async function startIncidents(runtime: IncidentsRuntime): Promise<RunningServiceApp> {
  if (runtime.runMigrations) await migrateIncidents(runtime.databaseUrl);
  const serviceName = runtime.serviceName ?? INCIDENTS_SERVICE;
  return startServiceApp({
    serviceName: INCIDENTS_SERVICE,
    module: IncidentsModule.forRoot({
      databaseUrl: runtime.databaseUrl,
      transport: runtime.transport,
      identity: runtime.identity,
      serviceName,
      correlation: runtime.correlation,
      sla: runtime.sla,
      citizenFlood: runtime.citizenFlood,
      anonymousCitizenReports: runtime.anonymousCitizenReports,
      liveStreamsPerUser: runtime.liveStreamsPerUser,
      cameraRegistryGrpcUrl: runtime.cameraRegistryGrpcUrl,
      recognitionGrpcUrl: runtime.recognitionGrpcUrl,
      slaCheckIntervalMs: runtime.slaCheckIntervalMs,
      retentionIntervalMs: runtime.retentionIntervalMs,
      retention: runtime.retention,
      liveFeedPollIntervalMs: runtime.liveFeedPollIntervalMs,
      liveFeedFlushIntervalMs: runtime.liveFeedFlushIntervalMs,
      outboxLingerMs: runtime.outboxLingerMs,
    }),
    http: runtime.http,
    grpc: { ...grpcOptions(IncidentsGrpc), url: runtime.grpcUrl },
    events: {
      serviceName,
      transport: runtime.transport,
      codecs: eventCodecFor,
      topicConfigs: TOPIC_SETTINGS,
      maxAttempts: runtime.maxAttempts,
      sessionTimeoutMs: runtime.sessionTimeoutMs,
    },
    openApi: {
      title: 'Safe City incidents',
      description:
        'Incidents from matches, alerts, outages and citizen reports, verified, dispatched and closed.',
      responses: openApiResponses,
    },
  });
}
