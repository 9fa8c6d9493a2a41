import { Module, type DynamicModule } from '@nestjs/common';
import { ClientsModule, Transport } from '@nestjs/microservices';
import { TypeOrmModule, getDataSourceToken } from '@nestjs/typeorm';
import { CameraRegistryGrpc, grpcOptions, RecognitionGrpc, TOPIC_SETTINGS } from '@safecity/contracts';
import { MessagingModule, type BusTransport } from '@safecity/messaging';
import { MetricsService, ObservabilityModule } from '@safecity/observability';
import { serviceDataSourceOptions, UnitOfWorkModule } from '@safecity/persistence';
import {
  SecurityModule,
  securityOptionsFor,
  TokenBucketRateLimiter,
  type IdentitySetup,
} from '@safecity/security';
import { ReassignmentController } from './assignment/reassignment.controller';
import { ReassignIncidentUseCase } from './assignment/use-cases/reassign-incident/reassign-incident.use-case';
import { RegionTransaction } from './access/region-transaction';
import { CitizenReportsConsumer } from './citizen-reports/citizen-reports.consumer';
import { CitizenReportsController } from './citizen-reports/citizen-reports.controller';
import {
  ANONYMOUS_REPORTS_LIMITER,
  DEFAULT_ANONYMOUS_REPORTS_LIMIT,
  DEFAULT_CITIZEN_FLOOD_LIMIT,
  type CitizenFloodLimit,
} from './citizen-reports/citizen-report-status';
import { CitizenReportIntake } from './citizen-reports/citizen-report-intake';
import { CitizenReportsRepository } from './citizen-reports/citizen-reports.repository';
import { CITIZEN_REPORT_USE_CASES } from './citizen-reports/use-cases';
import { RecordCameraChangeUseCase } from './camera-directory/use-cases/record-camera-change/record-camera-change.use-case';
import { CorrelateSourceEventsUseCase } from './correlation/use-cases/correlate-source-events/correlate-source-events.use-case';
import { CameraChangesConsumer } from './camera-directory/camera-changes.consumer';
import { CameraDirectoryRepository } from './camera-directory/camera-directory.repository';
import { DEFAULT_CORRELATION_RULES, type CorrelationRules } from './correlation/correlation-rules';
import { CorrelationRepository } from './correlation/correlation.repository';
import { Correlator } from './correlation/correlator';
import { MatchStatusFollower } from './correlation/match-status.follower';
import { MatchVerifications, RECOGNITION_GRPC } from './correlation/match-verifications';
import { SourceEventsConsumer } from './correlation/source-events.consumer';
import { CommitSignal } from './live/commit-signal';
import { LIVE_FEED_FLUSH_INTERVAL_MS, LIVE_FEED_POLL_INTERVAL_MS, LiveFeed } from './live/live-feed';
import { LiveController } from './live/live.controller';
import { DEFAULT_LIVE_STREAMS_PER_USER, LIVE_STREAMS_PER_USER, LiveStreamQuota } from './live/stream-quota';
import { StreamIncidentsUseCase } from './live/use-cases/stream-incidents/stream-incidents.use-case';
import { OperationsCenterDirectory } from './operations/operations-center.directory';
import { CAMERA_REGISTRY_GRPC, OperationsCenterSync } from './operations/operations-center.sync';
import { SlaMonitor } from './sla/sla-monitor';
import { SupervisorController } from './sla/supervisor.controller';
import { SupervisorOverviewRepository } from './sla/supervisor-overview.repository';
import { ReadSupervisorOverviewUseCase } from './sla/use-cases/read-supervisor-overview/read-supervisor-overview.use-case';
import { SopDeviations } from './sop/sop-deviations';
import { SopPublication } from './sop/sop-publication';
import { SopsController } from './sop/sops.controller';
import { SopsRepository } from './sop/sops.repository';
import { SOP_USE_CASES } from './sop/use-cases';
import { UnitsController } from './units/units.controller';
import { UnitsRepository } from './units/units.repository';
import { UNIT_USE_CASES } from './units/use-cases';
import { IncidentsGrpcController } from './grpc/incidents.grpc.controller';
import { IncidentChangeLog } from './incidents/incident-change-log';
import { IncidentsController } from './incidents/incidents.controller';
import { INCIDENTS_OPTIONS, type IncidentsRules } from './incidents/incidents.options';
import { IncidentsRepository } from './incidents/incidents.repository';
import { INCIDENT_USE_CASES } from './incidents/use-cases';
import { TransitionRecord } from './lifecycle/transition-record';
import { incidentsMigrations } from './migrations';
import { DEFAULT_SLA_POLICY, type SlaPolicy } from './operations/sla-policy';
import { incidentsRetentionPolicies, type IncidentsRetention } from './retention/retention-policies';
import { INCIDENTS_APP_ROLE, INCIDENTS_SCHEMA } from './schema';

export { INCIDENTS_SCHEMA };
export const INCIDENTS_SERVICE = 'incidents';

export interface IncidentsModuleOptions {
  databaseUrl: string;
  transport: BusTransport;
  identity: IdentitySetup;
  /** Consumer group and outbox source name; only tests and benchmarks sharing a broker change it. */
  serviceName?: string;
  correlation?: CorrelationRules;
  sla?: SlaPolicy;
  /** How often expired data is erased (default hourly); 0 leaves it to the caller (tests). */
  retentionIntervalMs?: number;
  /** How long incidents and citizens' contact data are kept. */
  retention?: IncidentsRetention;
  citizenFlood?: CitizenFloodLimit;
  /** Anonymous reports one source (channel and submitting identity) may send; see the README. */
  anonymousCitizenReports?: CitizenFloodLimit;
  /** Live streams one identity may hold open at once (default 10). */
  liveStreamsPerUser?: number;
  /** How often the live feed looks for other instances' changes (default 250 ms). */
  liveFeedPollIntervalMs?: number;
  /** The least time between two writes of the live feed to its clients (default 20 ms). */
  liveFeedFlushIntervalMs?: number;
  /** The least time between two passes of the outbox relay while changes trickle in (default 50 ms). */
  outboxLingerMs?: number;
  /** `host:port` of camera-registry's gRPC server, which lists the operations centers. */
  cameraRegistryGrpcUrl?: string;
  /** `host:port` of recognition's gRPC server, where face matches are confirmed. */
  recognitionGrpcUrl?: string;
  /** How often SLA deadlines are checked; 0 leaves it to the caller (tests). Default 5 s. */
  slaCheckIntervalMs?: number;
}

/** `runtime` connections act as the application role, under row-level security; migrations do not. */
export function incidentsDataSourceOptions(databaseUrl: string, use: 'runtime' | 'migrations' = 'runtime') {
  return serviceDataSourceOptions({
    url: databaseUrl,
    schema: INCIDENTS_SCHEMA,
    entities: [],
    migrations: incidentsMigrations,
    applicationName: INCIDENTS_SERVICE,
    applicationRole: use === 'runtime' ? INCIDENTS_APP_ROLE : undefined,
    poolSize: 16,
  });
}

@Module({})
export class IncidentsModule {
  static forRoot(options: IncidentsModuleOptions): DynamicModule {
    const serviceName = options.serviceName ?? INCIDENTS_SERVICE;
    const rules: IncidentsRules = {
      correlation: options.correlation ?? DEFAULT_CORRELATION_RULES,
      sla: options.sla ?? DEFAULT_SLA_POLICY,
    };
    // Built here so that periods that contradict each other stop the start.
    const retentionPolicies = incidentsRetentionPolicies(options.retention);
    return {
      module: IncidentsModule,
      imports: [
        TypeOrmModule.forRoot(incidentsDataSourceOptions(options.databaseUrl)),
        UnitOfWorkModule.forRoot({ dataSourceName: INCIDENTS_SCHEMA }),
        MessagingModule.forRoot({
          dataSourceName: INCIDENTS_SCHEMA,
          serviceName,
          schema: INCIDENTS_SCHEMA,
          transport: options.transport,
          topicConfigs: TOPIC_SETTINGS,
          relay: { lingerMs: options.outboxLingerMs ?? 50 },
        }),
        ObservabilityModule.forRoot({
          serviceName: INCIDENTS_SERVICE,
          dataSourceToken: getDataSourceToken(INCIDENTS_SCHEMA),
        }),
        SecurityModule.forRoot(securityOptionsFor(options.identity, INCIDENTS_SERVICE)),
        SecurityModule.forService({
          schema: INCIDENTS_SCHEMA,
          retention: {
            policies: retentionPolicies,
            intervalMs: options.retentionIntervalMs,
            // 0: erases only when `runOnce` is called, so that no run at a random moment writes
            // erasure records into the audit trail a caller is reading.
            scheduled: options.retentionIntervalMs !== 0,
          },
        }),
        ...(options.cameraRegistryGrpcUrl
          ? [
              ClientsModule.register([
                {
                  name: CAMERA_REGISTRY_GRPC,
                  transport: Transport.GRPC,
                  options: { ...grpcOptions(CameraRegistryGrpc), url: options.cameraRegistryGrpcUrl },
                },
              ]),
            ]
          : []),
        ...(options.recognitionGrpcUrl
          ? [
              ClientsModule.register([
                {
                  name: RECOGNITION_GRPC,
                  transport: Transport.GRPC,
                  options: { ...grpcOptions(RecognitionGrpc), url: options.recognitionGrpcUrl },
                },
              ]),
            ]
          : []),
      ],
      controllers: [
        LiveController,
        IncidentsController,
        ReassignmentController,
        CitizenReportsController,
        SopsController,
        UnitsController,
        SupervisorController,
        IncidentsGrpcController,
        SourceEventsConsumer,
        CameraChangesConsumer,
        CitizenReportsConsumer,
      ],
      providers: [
        { provide: INCIDENTS_OPTIONS, useValue: rules },
        { provide: LIVE_FEED_POLL_INTERVAL_MS, useValue: options.liveFeedPollIntervalMs ?? 250 },
        { provide: LIVE_FEED_FLUSH_INTERVAL_MS, useValue: options.liveFeedFlushIntervalMs ?? 20 },
        {
          provide: LIVE_STREAMS_PER_USER,
          useValue: options.liveStreamsPerUser ?? DEFAULT_LIVE_STREAMS_PER_USER,
        },
        LiveStreamQuota,
        RegionTransaction,
        IncidentsRepository,
        CorrelationRepository,
        IncidentChangeLog,
        TransitionRecord,
        ...INCIDENT_USE_CASES,
        ReassignIncidentUseCase,
        CameraDirectoryRepository,
        OperationsCenterDirectory,
        Correlator,
        MatchStatusFollower,
        MatchVerifications,
        CommitSignal,
        LiveFeed,
        StreamIncidentsUseCase,
        CorrelateSourceEventsUseCase,
        RecordCameraChangeUseCase,
        CitizenReportsRepository,
        CitizenReportIntake,
        ...CITIZEN_REPORT_USE_CASES,
        SopsRepository,
        SopDeviations,
        SopPublication,
        ...SOP_USE_CASES,
        UnitsRepository,
        ...UNIT_USE_CASES,
        SupervisorOverviewRepository,
        ReadSupervisorOverviewUseCase,
        OperationsCenterSync,
        {
          provide: SlaMonitor,
          useFactory: (...deps: ConstructorParameters<typeof SlaMonitor>) => {
            const monitor = new SlaMonitor(...deps);
            monitor.intervalMs = options.slaCheckIntervalMs ?? 5_000;
            return monitor;
          },
          inject: [RegionTransaction, IncidentsRepository, IncidentChangeLog, MetricsService],
        },
        {
          provide: TokenBucketRateLimiter,
          useFactory: () => {
            const limit = options.citizenFlood ?? DEFAULT_CITIZEN_FLOOD_LIMIT;
            return new TokenBucketRateLimiter({
              capacity: limit.burst,
              refillPerSecond: limit.perMinute / 60,
            });
          },
        },
        {
          provide: ANONYMOUS_REPORTS_LIMITER,
          useFactory: () => {
            const limit = options.anonymousCitizenReports ?? DEFAULT_ANONYMOUS_REPORTS_LIMIT;
            return new TokenBucketRateLimiter({
              capacity: limit.burst,
              refillPerSecond: limit.perMinute / 60,
            });
          },
        },
      ],
    };
  }
}
