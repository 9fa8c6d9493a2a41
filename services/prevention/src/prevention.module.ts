import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { TypeOrmModule, getDataSourceToken } from '@nestjs/typeorm';
import { TOPIC_SETTINGS } from '@safecity/contracts';
import { MessagingModule, type BusTransport } from '@safecity/messaging';
import { ObservabilityModule } from '@safecity/observability';
import { serviceDataSourceOptions, UnitOfWorkModule } from '@safecity/persistence';
import {
  AuditLog,
  type IdentitySetup,
  REGION_QUERY_FILTER,
  RegionAccess,
  type RetentionPolicy,
  SecurityModule,
  securityOptionsFor,
} from '@safecity/security';
import { CasesController } from './cases/cases.controller';
import { CaseAudit, SUBJECT_OBJECT } from './cases/case-audit';
import { CaseChanges } from './cases/case-changes';
import { CaseOpening } from './cases/case-opening';
import { CasesRepository } from './cases/cases.repository';
import { CASE_USE_CASES } from './cases/use-cases';
import { ForecastsController } from './forecasts/forecasts.controller';
import { PlaceHistoryRepository } from './forecasts/place-history.repository';
import { FORECAST_USE_CASES } from './forecasts/use-cases';
import { PreventionGrpcController } from './grpc/prevention.grpc.controller';
import { KpisController } from './kpis/kpis.controller';
import { KpisRepository } from './kpis/kpis.repository';
import { KPI_USE_CASES } from './kpis/use-cases';
import { preventionMigrations } from './migrations';
import { SubjectErasureJob } from './retention/subject-erasure.job';
import { IncidentChangesConsumer } from './triggers/incident-changes.consumer';
import { IncidentsRepository } from './triggers/incidents.repository';
import { SuggestionsController } from './triggers/suggestions.controller';
import { TRIGGER_USE_CASES } from './triggers/use-cases';
import { PREVENTION_APP_ROLE, PREVENTION_SCHEMA } from './schema';

export { PREVENTION_SCHEMA };
export const PREVENTION_SERVICE = 'prevention';

export interface PreventionRetentionOptions {
  /** Days after a subject's last case closed before its personal data is erased; default 1826 (five years). */
  subjectRetentionDays?: number;
  /** How often the erasure job runs; default hourly. */
  intervalMs?: number;
  /**
   * Whether the retention and erasure jobs run on their own schedule; default true. Off, they run
   * only when asked (`runOnce`), so a run never lands in the middle of what a caller is checking.
   */
  scheduled?: boolean;
}

export interface PreventionModuleOptions {
  databaseUrl: string;
  transport: BusTransport;
  identity: IdentitySetup;
  /** Only the security tests turn it off, to show row-level security alone hides other regions. */
  regionFilterInQueries?: boolean;
  retention?: PreventionRetentionOptions;
}

/** `runtime` connections act as the application role, under row-level security; migrations do not. */
export function preventionDataSourceOptions(databaseUrl: string, use: 'runtime' | 'migrations' = 'runtime') {
  return serviceDataSourceOptions({
    url: databaseUrl,
    schema: PREVENTION_SCHEMA,
    entities: [],
    migrations: preventionMigrations,
    applicationName: PREVENTION_SERVICE,
    applicationRole: use === 'runtime' ? PREVENTION_APP_ROLE : undefined,
  });
}

/** Five years after the last case about a person or family closed. */
export const DEFAULT_SUBJECT_RETENTION_DAYS = 1826;

/** Retention of the data classes that are deleted outright (subjects are erased in place). */
const RETENTION_POLICIES: RetentionPolicy[] = [
  {
    dataClass: 'consumed-event-ids',
    table: 'inbox',
    timestampColumn: 'processed_at',
    retainFor: { days: 14 },
    legalBasis: 'redelivery protection outlives any Kafka retention of consumed topics',
  },
  {
    dataClass: 'incident-places',
    table: 'incidents',
    timestampColumn: 'occurred_at',
    retainFor: { days: 1096 },
    legalBasis: 'three years of incident places and times for forecasts and KPIs',
  },
];

@Module({})
export class PreventionModule {
  static forRoot(options: PreventionModuleOptions): DynamicModule {
    const providers: Provider[] = [
      { provide: REGION_QUERY_FILTER, useValue: options.regionFilterInQueries ?? true },
      RegionAccess,
      {
        provide: SubjectErasureJob,
        useFactory: (access: RegionAccess, auditLog: AuditLog) =>
          new SubjectErasureJob(access, auditLog, {
            retentionDays: options.retention?.subjectRetentionDays ?? DEFAULT_SUBJECT_RETENTION_DAYS,
            intervalMs: options.retention?.intervalMs,
            scheduled: options.retention?.scheduled,
          }),
        inject: [RegionAccess, AuditLog],
      },
      CasesRepository,
      CaseAudit,
      CaseChanges,
      CaseOpening,
      ...CASE_USE_CASES,
      IncidentsRepository,
      ...TRIGGER_USE_CASES,
      PlaceHistoryRepository,
      ...FORECAST_USE_CASES,
      KpisRepository,
      ...KPI_USE_CASES,
    ];
    return {
      module: PreventionModule,
      imports: [
        TypeOrmModule.forRoot(preventionDataSourceOptions(options.databaseUrl)),
        UnitOfWorkModule.forRoot({ dataSourceName: PREVENTION_SCHEMA }),
        MessagingModule.forRoot({
          dataSourceName: PREVENTION_SCHEMA,
          serviceName: PREVENTION_SERVICE,
          schema: PREVENTION_SCHEMA,
          transport: options.transport,
          topicConfigs: TOPIC_SETTINGS,
        }),
        ObservabilityModule.forRoot({
          serviceName: PREVENTION_SERVICE,
          dataSourceToken: getDataSourceToken(PREVENTION_SCHEMA),
        }),
        SecurityModule.forRoot(securityOptionsFor(options.identity, PREVENTION_SERVICE)),
        SecurityModule.forService({
          schema: PREVENTION_SCHEMA,
          personalDataTypes: [SUBJECT_OBJECT],
          retention: {
            policies: RETENTION_POLICIES,
            intervalMs: options.retention?.intervalMs,
            scheduled: options.retention?.scheduled,
          },
        }),
      ],
      controllers: [
        CasesController,
        SuggestionsController,
        IncidentChangesConsumer,
        KpisController,
        ForecastsController,
        PreventionGrpcController,
      ],
      providers,
    };
  }
}
