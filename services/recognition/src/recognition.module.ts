import { Module, type DynamicModule } from '@nestjs/common';
import { ClientsModule, Transport } from '@nestjs/microservices';
import { TypeOrmModule, getDataSourceToken } from '@nestjs/typeorm';
import { CameraRegistryGrpc, grpcOptions } from '@safecity/contracts';
import { MessagingModule, type BusTransport } from '@safecity/messaging';
import { ObservabilityModule } from '@safecity/observability';
import { serviceDataSourceOptions } from '@safecity/persistence';
import { SecurityModule, securityOptionsFor, type IdentitySetup } from '@safecity/security';
import { CameraChangesConsumer } from './camera-directory/camera-changes.consumer';
import { CameraDirectoryController } from './camera-directory/camera-directory.controller';
import { CameraDirectoryRepository } from './camera-directory/camera-directory.repository';
import { CameraDirectoryService } from './camera-directory/camera-directory.service';
import { CAMERA_REGISTRY_GRPC, CameraRegistryGateway } from './camera-directory/camera-registry.client';
import { MatchingModule, type MatchingOptions } from './matching.module';
import { recognitionMigrations } from './migrations';
import { RECOGNITION_APP_ROLE, RECOGNITION_SCHEMA } from './schema';

export { RECOGNITION_SCHEMA };
export const RECOGNITION_SERVICE = 'recognition';

export interface RecognitionModuleOptions {
  databaseUrl: string;
  transport: BusTransport;
  /** `host:port` of camera-registry's gRPC server. */
  cameraRegistryGrpcUrl: string;
  identity: IdentitySetup;
  /** Watchlist matching: thresholds, refresh and retention schedules (tests shorten them). */
  matching?: MatchingOptions;
}

/** `runtime` connections act as the application role, under row-level security; migrations do not. */
export function recognitionDataSourceOptions(databaseUrl: string, use: 'runtime' | 'migrations' = 'runtime') {
  return serviceDataSourceOptions({
    url: databaseUrl,
    schema: RECOGNITION_SCHEMA,
    entities: [],
    migrations: recognitionMigrations,
    applicationName: RECOGNITION_SERVICE,
    applicationRole: use === 'runtime' ? RECOGNITION_APP_ROLE : undefined,
  });
}

@Module({})
export class RecognitionModule {
  static forRoot(options: RecognitionModuleOptions): DynamicModule {
    return {
      module: RecognitionModule,
      imports: [
        TypeOrmModule.forRoot(recognitionDataSourceOptions(options.databaseUrl)),
        MessagingModule.forRoot({
          dataSourceName: RECOGNITION_SCHEMA,
          serviceName: RECOGNITION_SERVICE,
          schema: RECOGNITION_SCHEMA,
          transport: options.transport,
        }),
        ObservabilityModule.forRoot({
          serviceName: RECOGNITION_SERVICE,
          dataSourceToken: getDataSourceToken(RECOGNITION_SCHEMA),
        }),
        SecurityModule.forRoot(securityOptionsFor(options.identity, RECOGNITION_SERVICE)),
        MatchingModule.forRoot(options.matching),
        ClientsModule.register([
          {
            name: CAMERA_REGISTRY_GRPC,
            transport: Transport.GRPC,
            options: { ...grpcOptions(CameraRegistryGrpc), url: options.cameraRegistryGrpcUrl },
          },
        ]),
      ],
      controllers: [CameraChangesConsumer, CameraDirectoryController],
      providers: [CameraDirectoryRepository, CameraDirectoryService, CameraRegistryGateway],
    };
  }
}
