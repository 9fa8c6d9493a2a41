import { Module, type DynamicModule } from '@nestjs/common';
import { ClientsModule, Transport } from '@nestjs/microservices';
import { TypeOrmModule, getDataSourceToken } from '@nestjs/typeorm';
import { CameraRegistryGrpc, grpcOptions } from '@safecity/contracts';
import { MessagingModule, Outbox, type BusTransport } from '@safecity/messaging';
import { ObservabilityModule } from '@safecity/observability';
import { serviceDataSourceOptions } from '@safecity/persistence';
import {
  ApiKeyStore,
  AuditLog,
  RetentionJob,
  SecurityModule,
  securityOptionsFor,
  type IdentitySetup,
  type RetentionPolicy,
} from '@safecity/security';
import type { DataSource } from 'typeorm';
import { CameraChangesConsumer } from './camera-directory/camera-changes.consumer';
import { CameraDirectoryController } from './camera-directory/camera-directory.controller';
import { CameraDirectoryRepository } from './camera-directory/camera-directory.repository';
import { CameraDirectoryService } from './camera-directory/camera-directory.service';
import { CAMERA_REGISTRY_GRPC, CameraRegistryGateway } from './camera-directory/camera-registry.client';
import {
  FRIGATE_MQTT_SOURCES,
  FrigateMqttSubscriber,
  type FrigateMqttSource,
} from './ingestion/frigate/frigate-mqtt.subscriber';
import { DetectionsGrpcController } from './ingestion/http/detections.grpc.controller';
import { DetectionsController } from './ingestion/http/detections.controller';
import { IngestBodyReader } from './ingestion/http/ingest-body';
import { IngestController } from './ingestion/http/ingest.controller';
import { IngestKeysController, IngestKeysService } from './ingestion/keys/ingest-keys';
import {
  ingestionSettings,
  INGESTION_SETTINGS,
  type IngestionSettings,
} from './ingestion/ingestion-settings';
import { RawDetectionsConsumer } from './ingestion/kafka/raw-detections.consumer';
import { MediaStore } from './ingestion/media/media-store';
import { DetectionIngestService } from './ingestion/pipeline/detection-ingest.service';
import { DetectionsRepository } from './ingestion/pipeline/detections.repository';
import { recognitionMigrations } from './migrations';
import { DETECTION_ANALYSERS } from './pipeline/detection-analysis';
import { FaceTemplateStore } from './pipeline/face-template-store';
import { RECOGNITION_APP_ROLE, RECOGNITION_SCHEMA } from './schema';

export { RECOGNITION_SCHEMA };
export const RECOGNITION_SERVICE = 'recognition';

export interface RecognitionModuleOptions {
  databaseUrl: string;
  transport: BusTransport;
  /** `host:port` of camera-registry's gRPC server. */
  cameraRegistryGrpcUrl: string;
  identity: IdentitySetup;
  /** Clock bounds, retention, media store; defaults fit production. */
  ingestion?: Partial<IngestionSettings>;
  /** How often the retention job runs; default hourly. */
  retentionIntervalMs?: number;
  /** Frigate MQTT brokers to subscribe to. */
  frigateMqtt?: FrigateMqttSource[];
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

function retentionPolicies(settings: IngestionSettings): RetentionPolicy[] {
  return [
    {
      dataClass: 'unmatched-detection-metadata',
      table: 'detections',
      timestampColumn: 'received_at',
      retainFor: { hours: settings.detectionRetentionHours },
      legalBasis: 'data minimisation: detections are short-lived metadata',
    },
  ];
}

/** The video systems' API keys, which the ingest routes' guard checks. */
@Module({
  providers: [
    {
      provide: ApiKeyStore,
      useFactory: (dataSource: DataSource) => new ApiKeyStore(dataSource),
      inject: [getDataSourceToken(RECOGNITION_SCHEMA)],
    },
  ],
  exports: [ApiKeyStore],
})
class IngestApiKeysModule {}

@Module({})
export class RecognitionModule {
  static forRoot(options: RecognitionModuleOptions): DynamicModule {
    const settings = ingestionSettings(options.ingestion);
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
        IngestApiKeysModule,
        SecurityModule.forRootAsync({
          imports: [IngestApiKeysModule],
          inject: [ApiKeyStore],
          useFactory: (store: ApiKeyStore) => ({
            ...securityOptionsFor(options.identity, RECOGNITION_SERVICE),
            // Batches of up to 1,000 detections: 200 requests burst, 100/s sustained per key.
            apiKeys: { store, rateLimit: { capacity: 200, refillPerSecond: 100 } },
          }),
        }),
        ClientsModule.register([
          {
            name: CAMERA_REGISTRY_GRPC,
            transport: Transport.GRPC,
            options: { ...grpcOptions(CameraRegistryGrpc), url: options.cameraRegistryGrpcUrl },
          },
        ]),
      ],
      controllers: [
        CameraChangesConsumer,
        CameraDirectoryController,
        IngestController,
        RawDetectionsConsumer,
        DetectionsController,
        DetectionsGrpcController,
        IngestKeysController,
      ],
      providers: [
        CameraDirectoryRepository,
        CameraDirectoryService,
        CameraRegistryGateway,
        { provide: INGESTION_SETTINGS, useValue: settings },
        {
          provide: FaceTemplateStore,
          useFactory: () =>
            new FaceTemplateStore({
              ttlMs: settings.faceTemplateTtlMs,
              maxEntries: settings.faceTemplateMaxEntries,
            }),
        },
        // Matching (plates, faces, behaviour rules) contributes its analysers here.
        { provide: DETECTION_ANALYSERS, useFactory: () => [] },
        IngestBodyReader,
        DetectionsRepository,
        IngestKeysService,
        DetectionIngestService,
        MediaStore,
        { provide: FRIGATE_MQTT_SOURCES, useValue: options.frigateMqtt ?? [] },
        FrigateMqttSubscriber,
        {
          provide: AuditLog,
          useFactory: (outbox: Outbox) => new AuditLog({ schema: RECOGNITION_SCHEMA, outbox }),
          inject: [Outbox],
        },
        {
          provide: RetentionJob,
          useFactory: (dataSource: DataSource, auditLog: AuditLog) =>
            new RetentionJob(dataSource, {
              schema: RECOGNITION_SCHEMA,
              policies: retentionPolicies(settings),
              auditLog,
              intervalMs: options.retentionIntervalMs,
            }),
          inject: [getDataSourceToken(RECOGNITION_SCHEMA), AuditLog],
        },
      ],
    };
  }
}
