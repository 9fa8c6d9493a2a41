import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule, getDataSourceToken } from '@nestjs/typeorm';
import { MessagingModule, type BusTransport } from '@safecity/messaging';
import { ObservabilityModule } from '@safecity/observability';
import { TOPIC_SETTINGS } from '@safecity/contracts';
import { serviceDataSourceOptions, UnitOfWorkModule } from '@safecity/persistence';
import {
  ApiKeyStore,
  type IdentitySetup,
  MediaCredentialsSealer,
  REGION_QUERY_FILTER,
  RegionAccess,
  type RetentionPolicy,
  SecurityModule,
  securityOptionsFor,
} from '@safecity/security';
import type { DataSource } from 'typeorm';
import { CameraImportController } from './camera-import/camera-import.controller';
import { CameraImportRepository } from './camera-import/camera-import.repository';
import { ImportCamerasUseCase } from './camera-import/use-cases/import-cameras/import-cameras.use-case';
import { CameraImportBodyReader } from './camera-import/import-body';
import { CameraEntity } from './cameras/camera.entity';
import { CamerasController } from './cameras/cameras.controller';
import { CamerasGrpcController } from './cameras/cameras.grpc.controller';
import { CamerasRepository } from './cameras/cameras.repository';
import { CameraChanges } from './cameras/camera-changes';
import { CAMERA_USE_CASES } from './cameras/use-cases';
import { CameraLookupCache } from './cameras/camera-lookup.cache';
import { CameraHealthModule, type CameraHealthOptions } from './camera-health';
import { CameraMediaController } from './camera-media/camera-media.controller';
import { CameraMediaRepository } from './camera-media/camera-media.repository';
import { CameraMediaSources, MEDIA_CREDENTIALS_SEALER } from './camera-media/camera-media-sources';
import { CAMERA_MEDIA_USE_CASES } from './camera-media/use-cases';
import { cameraRegistryMigrations } from './migrations';
import { OperationsCentersController } from './operations-centers/operations-centers.controller';
import { OperationsCentersRepository } from './operations-centers/operations-centers.repository';
import { OPERATIONS_CENTER_USE_CASES } from './operations-centers/use-cases';
import { RegionsController } from './regions/regions.controller';
import { RegionsRepository } from './regions/regions.repository';
import { REGION_USE_CASES } from './regions/use-cases';
import { VideoSystemEntity } from './video-systems/video-system.entity';
import { VideoSystemsController } from './video-systems/video-systems.controller';
import { ApiKeyChanges } from './video-systems/api-key-changes';
import { VIDEO_SYSTEM_USE_CASES } from './video-systems/use-cases';
import { VideoSystemsRepository } from './video-systems/video-systems.repository';
import { CAMERA_REGISTRY_APP_ROLE, CAMERA_REGISTRY_SCHEMA } from './schema';

export { CAMERA_REGISTRY_SCHEMA };
export const CAMERA_REGISTRY_SERVICE = 'camera-registry';
export const cameraRegistryEntities = [CameraEntity, VideoSystemEntity];

export interface CameraRegistryModuleOptions {
  databaseUrl: string;
  transport: BusTransport;
  identity: IdentitySetup;
  /**
   * Whether queries carry their own region filter. Only the security tests turn it off, to show
   * that row-level security alone still hides other regions.
   */
  regionFilterInQueries?: boolean;
  /** How often the retention job runs; default hourly. */
  retentionIntervalMs?: number;
  /**
   * False: retention runs only when asked (`RetentionJob.runOnce`). For tests whose clock dates
   * the status history further back than it is kept: a scheduled run would erase it under them.
   */
  scheduleRetention?: boolean;
  /** Heartbeat intervals, flapping rule, detector schedule and the clock (tests move it). */
  health?: CameraHealthOptions;
  /** MEDIA_CREDENTIALS_KEY (base64 of 32 bytes); absent: the public development key. */
  mediaCredentialsKey?: string;
}

/**
 * `runtime` connections act as the application role, which row-level security applies to;
 * migrations run as the connecting user, which owns the schema.
 */
export function cameraRegistryDataSourceOptions(
  databaseUrl: string,
  use: 'runtime' | 'migrations' = 'runtime',
) {
  return serviceDataSourceOptions({
    url: databaseUrl,
    schema: CAMERA_REGISTRY_SCHEMA,
    entities: cameraRegistryEntities,
    migrations: cameraRegistryMigrations,
    applicationName: CAMERA_REGISTRY_SERVICE,
    applicationRole: use === 'runtime' ? CAMERA_REGISTRY_APP_ROLE : undefined,
  });
}

/** Retention of this service's data classes. */
const RETENTION_POLICIES: RetentionPolicy[] = [
  {
    dataClass: 'camera-status-history',
    table: 'camera_status_history',
    timestampColumn: 'changed_at',
    retainFor: { days: 400 },
    legalBasis: 'camera uptime reporting: thirteen months of history',
  },
  {
    dataClass: 'consumed-event-ids',
    table: 'inbox',
    timestampColumn: 'processed_at',
    retainFor: { days: 14 },
    legalBasis: 'redelivery protection outlives any Kafka retention of consumed topics',
  },
];

/** The video systems' API keys, shared by the guard that checks them and the endpoints that issue them. */
@Module({
  providers: [
    {
      provide: ApiKeyStore,
      useFactory: (dataSource: DataSource) => new ApiKeyStore(dataSource),
      inject: [getDataSourceToken(CAMERA_REGISTRY_SCHEMA)],
    },
  ],
  exports: [ApiKeyStore],
})
class ApiKeysModule {}

@Module({})
export class CameraRegistryModule {
  static forRoot(options: CameraRegistryModuleOptions): DynamicModule {
    return {
      module: CameraRegistryModule,
      imports: [
        TypeOrmModule.forRoot(cameraRegistryDataSourceOptions(options.databaseUrl)),
        UnitOfWorkModule.forRoot({ dataSourceName: CAMERA_REGISTRY_SCHEMA }),
        MessagingModule.forRoot({
          dataSourceName: CAMERA_REGISTRY_SCHEMA,
          serviceName: CAMERA_REGISTRY_SERVICE,
          schema: CAMERA_REGISTRY_SCHEMA,
          transport: options.transport,
          topicConfigs: TOPIC_SETTINGS,
        }),
        ObservabilityModule.forRoot({
          serviceName: CAMERA_REGISTRY_SERVICE,
          dataSourceToken: getDataSourceToken(CAMERA_REGISTRY_SCHEMA),
        }),
        CameraHealthModule.forRoot(options.health),
        ApiKeysModule,
        SecurityModule.forRootAsync({
          imports: [ApiKeysModule],
          inject: [ApiKeyStore],
          useFactory: (store: ApiKeyStore) => ({
            ...securityOptionsFor(options.identity, CAMERA_REGISTRY_SERVICE),
            apiKeys: { store },
          }),
        }),
        SecurityModule.forService({
          schema: CAMERA_REGISTRY_SCHEMA,
          retention: {
            policies: RETENTION_POLICIES,
            intervalMs: options.retentionIntervalMs,
            scheduled: options.scheduleRetention,
          },
        }),
      ],
      controllers: [
        CamerasController,
        CamerasGrpcController,
        VideoSystemsController,
        RegionsController,
        OperationsCentersController,
        CameraImportController,
        CameraMediaController,
      ],
      providers: [
        { provide: REGION_QUERY_FILTER, useValue: options.regionFilterInQueries ?? true },
        RegionAccess,
        CamerasRepository,
        CameraChanges,
        { provide: CameraLookupCache, useFactory: () => new CameraLookupCache() },
        ...CAMERA_USE_CASES,
        VideoSystemsRepository,
        ApiKeyChanges,
        ...VIDEO_SYSTEM_USE_CASES,
        RegionsRepository,
        ...REGION_USE_CASES,
        OperationsCentersRepository,
        ...OPERATIONS_CENTER_USE_CASES,
        CameraImportBodyReader,
        CameraImportRepository,
        ImportCamerasUseCase,
        {
          provide: MEDIA_CREDENTIALS_SEALER,
          useValue: options.mediaCredentialsKey
            ? MediaCredentialsSealer.fromBase64(options.mediaCredentialsKey)
            : MediaCredentialsSealer.development(),
        },
        CameraMediaRepository,
        CameraMediaSources,
        ...CAMERA_MEDIA_USE_CASES,
      ],
    };
  }
}
