import { Module, type DynamicModule } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { UnitOfWork } from './unit-of-work';

export interface UnitOfWorkModuleOptions {
  /** The service's TypeORM data source name (its schema, see `serviceDataSourceOptions`). */
  dataSourceName?: string;
}

/** Provides the service's {@link UnitOfWork} to the whole application. */
@Module({})
export class UnitOfWorkModule {
  static forRoot(options: UnitOfWorkModuleOptions = {}): DynamicModule {
    return {
      module: UnitOfWorkModule,
      global: true,
      providers: [
        {
          provide: UnitOfWork,
          useFactory: (dataSource: DataSource) => new UnitOfWork(dataSource),
          inject: [getDataSourceToken(options.dataSourceName)],
        },
      ],
      exports: [UnitOfWork],
    };
  }
}
