import { Module, type DynamicModule } from '@nestjs/common';
import { ClientsModule, Transport } from '@nestjs/microservices';
import { TypeOrmModule, getDataSourceToken } from '@nestjs/typeorm';
import { CameraRegistryGrpc, grpcOptions } from '@safecity/contracts';
import { MessagingModule, type BusTransport } from '@safecity/messaging';
import { ObservabilityModule } from '@safecity/observability';
import { serviceDataSourceOptions, UnitOfWorkModule } from '@safecity/persistence';
import {
  ApiKeyStore,
  RegionAccess,
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
import { PlatformAnalyticsController } from './ingestion/http/platform-analytics.controller';
import { IngestKeysController } from './ingestion/keys/ingest-keys';
import { INGESTION_USE_CASES } from './ingestion/use-cases';
import { CAMERA_DIRECTORY_USE_CASES } from './camera-directory/use-cases';
import {
  ingestionSettings,
  INGESTION_SETTINGS,
  type IngestionOverrides,
  type IngestionSettings,
} from './ingestion/ingestion-settings';
import { RawDetectionsConsumer } from './ingestion/kafka/raw-detections.consumer';
import { MediaStore } from './ingestion/media/media-store';
import { DetectionIngestService } from './ingestion/pipeline/detection-ingest.service';
import { DetectionsRepository } from './ingestion/pipeline/detections.repository';
import { MatchingModule, type MatchingOptions } from './matching.module';
import { recognitionMigrations } from './migrations';
import { DETECTION_ANALYSERS, type DetectionAnalyser } from './pipeline/detection-analysis';
import { BehaviourAnalyser } from './behaviour/behaviour.analyser';
import { FaceMatchAnalyser } from './faces/face-match.analyser';
import { PlateMatchAnalyser } from './plates/plate-match.analyser';
import { FaceTemplateStore } from './pipeline/face-template-store';
import { RECOGNITION_APP_ROLE, RECOGNITION_SCHEMA } from './schema';

export { RECOGNITION_SCHEMA };

/**
 * Per ingest key, as the README states: 100 requests at once, 50 a second sustained (each request
 * a batch of up to 1,000 detections).
 */
export const INGEST_KEY_RATE_LIMIT = { capacity: 100, refillPerSecond: 50 } as const;
export const RECOGNITION_SERVICE = 'recognition';

export interface RecognitionModuleOptions {
  databaseUrl: string;
  transport: BusTransport;
  /** `host:port` of camera-registry's gRPC server. */
  cameraRegistryGrpcUrl: string;
  identity: IdentitySetup;
  /** Clock bounds, retention, media store; defaults fit production. */
  ingestion?: IngestionOverrides;
  /** How often the retention job runs; default hourly. */
  retentionIntervalMs?: number;
  /** Frigate MQTT brokers to subscribe to. */
  frigateMqtt?: FrigateMqttSource[];
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
    // One store for both sides: adapters put templates in, the face analyser takes them out.
    const faceTemplates =
      options.matching?.faceTemplates ??
      new FaceTemplateStore({
        ttlMs: settings.faceTemplateTtlMs,
        maxEntries: settings.faceTemplateMaxEntries,
      });
    return {
      module: RecognitionModule,
      imports: [
        TypeOrmModule.forRoot(recognitionDataSourceOptions(options.databaseUrl)),
        UnitOfWorkModule.forRoot({ dataSourceName: RECOGNITION_SCHEMA }),
        MessagingModule.forRoot({
          dataSourceName: RECOGNITION_SCHEMA,
          serviceName: RECOGNITION_SERVICE,
          schema: RECOGNITION_SCHEMA,
          transport: options.transport,
          // An event for every stored detection: published from a thread of its own, in batches
          // large enough to keep up with ingestion (a relay on the consuming thread fell behind).
          relay: { batchSize: 2_000, thread: true },
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
            apiKeys: { store, rateLimit: INGEST_KEY_RATE_LIMIT },
          }),
        }),
        MatchingModule.forRoot({
          ...options.matching,
          faceTemplates,
          otherRetentionPolicies: retentionPolicies(settings),
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
        PlatformAnalyticsController,
        RawDetectionsConsumer,
        DetectionsController,
        DetectionsGrpcController,
        IngestKeysController,
      ],
      providers: [
        // The unit of work scoped to a caller's regions, for every use case of the service.
        RegionAccess,
        CameraDirectoryRepository,
        CameraDirectoryService,
        ...CAMERA_DIRECTORY_USE_CASES,
        CameraRegistryGateway,
        { provide: INGESTION_SETTINGS, useValue: settings },
        { provide: FaceTemplateStore, useValue: faceTemplates },
        // Matching runs in the transaction that stores each batch: plates, faces, behaviour rules.
        {
          provide: DETECTION_ANALYSERS,
          useFactory: (...analysers: DetectionAnalyser[]) => analysers,
          inject: [PlateMatchAnalyser, FaceMatchAnalyser, BehaviourAnalyser],
        },
        IngestBodyReader,
        DetectionsRepository,
        DetectionIngestService,
        ...INGESTION_USE_CASES,
        MediaStore,
        { provide: FRIGATE_MQTT_SOURCES, useValue: options.frigateMqtt ?? [] },
        FrigateMqttSubscriber,
      ],
    };
  }
}
