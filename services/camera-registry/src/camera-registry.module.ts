import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule, getDataSourceToken } from '@nestjs/typeorm';
import {
  MessagingModule,
  EVENT_PUBLISHER,
  type BusTransport,
  type EventPublisher,
} from '@safecity/messaging';
import { BUS_HEALTH, ObservabilityModule } from '@safecity/observability';
import { serviceDataSourceOptions } from '@safecity/persistence';
import { CameraImportController } from './camera-import/camera-import.controller';
import { CameraImportRepository } from './camera-import/camera-import.repository';
import { CameraImportService } from './camera-import/camera-import.service';
import { CameraImportBodyReader } from './camera-import/import-body';
import { CameraEntity } from './cameras/camera.entity';
import { CamerasController } from './cameras/cameras.controller';
import { CamerasGrpcController } from './cameras/cameras.grpc.controller';
import { CamerasRepository } from './cameras/cameras.repository';
import { CamerasService } from './cameras/cameras.service';
import { CameraLookupCache } from './cameras/camera-lookup.cache';
import { CameraHealthModule, type CameraHealthOptions } from './camera-health';
import { cameraRegistryMigrations } from './migrations';
import { OperationsCentersController } from './operations-centers/operations-centers.controller';
import { OperationsCentersService } from './operations-centers/operations-centers.service';
import { RegionsController } from './regions/regions.controller';
import { RegionsRepository } from './regions/regions.repository';
import { VideoSystemEntity } from './video-systems/video-system.entity';
import { VideoSystemsController } from './video-systems/video-systems.controller';
import { VideoSystemsService } from './video-systems/video-systems.service';
import { CAMERA_REGISTRY_SCHEMA } from './schema';

export { CAMERA_REGISTRY_SCHEMA };
export const CAMERA_REGISTRY_SERVICE = 'camera-registry';
export const cameraRegistryEntities = [CameraEntity, VideoSystemEntity];

export interface CameraRegistryModuleOptions {
  databaseUrl: string;
  transport: BusTransport;
  /** Heartbeat intervals, flapping rule, detector schedule and the clock (tests move it). */
  health?: CameraHealthOptions;
}

export function cameraRegistryDataSourceOptions(databaseUrl: string) {
  return serviceDataSourceOptions({
    url: databaseUrl,
    schema: CAMERA_REGISTRY_SCHEMA,
    entities: cameraRegistryEntities,
    migrations: cameraRegistryMigrations,
    applicationName: CAMERA_REGISTRY_SERVICE,
  });
}

@Module({})
export class CameraRegistryModule {
  static forRoot(options: CameraRegistryModuleOptions): DynamicModule {
    return {
      module: CameraRegistryModule,
      imports: [
        TypeOrmModule.forRoot(cameraRegistryDataSourceOptions(options.databaseUrl)),
        MessagingModule.forRoot({
          dataSourceName: CAMERA_REGISTRY_SCHEMA,
          serviceName: CAMERA_REGISTRY_SERVICE,
          schema: CAMERA_REGISTRY_SCHEMA,
          transport: options.transport,
        }),
        ObservabilityModule.forRoot({
          serviceName: CAMERA_REGISTRY_SERVICE,
          dataSourceToken: getDataSourceToken(CAMERA_REGISTRY_SCHEMA),
        }),
        CameraHealthModule.forRoot(options.health),
      ],
      controllers: [
        CamerasController,
        CamerasGrpcController,
        VideoSystemsController,
        RegionsController,
        OperationsCentersController,
        CameraImportController,
      ],
      providers: [
        CamerasRepository,
        CamerasService,
        { provide: CameraLookupCache, useFactory: () => new CameraLookupCache() },
        VideoSystemsService,
        RegionsRepository,
        OperationsCentersService,
        CameraImportBodyReader,
        CameraImportRepository,
        CameraImportService,
        {
          provide: BUS_HEALTH,
          useFactory: (publisher: EventPublisher) => ({
            name: 'bus',
            isHealthy: () => publisher.isHealthy(),
          }),
          inject: [EVENT_PUBLISHER],
        },
      ],
    };
  }
}
