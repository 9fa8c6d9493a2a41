import { UnitOfWork } from '@safecity/persistence';
import { Module, type DynamicModule } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { Outbox } from '@safecity/messaging';
import type { DataSource } from 'typeorm';
import { AuditLog } from '../audit/audit-log';
import { AuditQueryService, createAuditLogController } from '../audit/audit-query';
import { RetentionJob, type RetentionJobOptions } from '../retention/retention-job';

/** How long the service keeps each class of its data, and when the erasure runs. */
export type ServiceRetentionOptions = Omit<RetentionJobOptions, 'schema' | 'auditLog'>;

export interface ServiceAccountabilityOptions {
  /**
   * The service's schema: it holds the audit table and the tables retention erases from, and
   * names the data source (`getDataSourceToken(schema)`), as every service registers its own.
   */
  schema: string;
  /** Object types holding personal data: every action on them needs a purpose and a legal basis. */
  personalDataTypes?: readonly string[];
  retention: ServiceRetentionOptions;
}

/**
 * A service's accountability: its audit log (records written in the caller's transaction and
 * published through the service's outbox), the auditors' `GET /audit-log` over it, and the
 * retention job that erases expired data and audits each erasure. Built by
 * {@link SecurityModule.forService}; needs the service's TypeORM data source and messaging module.
 */
@Module({})
export class ServiceAccountabilityModule {
  static register(options: ServiceAccountabilityOptions): DynamicModule {
    const dataSource = getDataSourceToken(options.schema);
    return {
      module: ServiceAccountabilityModule,
      controllers: [createAuditLogController()],
      providers: [
        {
          provide: AuditLog,
          useFactory: (outbox: Outbox) =>
            new AuditLog({ schema: options.schema, outbox, personalDataTypes: options.personalDataTypes }),
          inject: [Outbox],
        },
        {
          provide: AuditQueryService,
          useFactory: (source: DataSource) => new AuditQueryService(source, { schema: options.schema }),
          inject: [dataSource],
        },
        {
          provide: RetentionJob,
          useFactory: (unit: UnitOfWork, auditLog: AuditLog) =>
            new RetentionJob(unit, { ...options.retention, schema: options.schema, auditLog }),
          inject: [UnitOfWork, AuditLog],
        },
      ],
      exports: [AuditLog, AuditQueryService, RetentionJob],
    };
  }
}
