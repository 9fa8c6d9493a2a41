import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { getDataSourceToken } from '@nestjs/typeorm';
import { TOPIC_SETTINGS, Topics } from '@safecity/contracts';
import { consumerGroupOf, MessagingModule, Outbox, type BusTransport } from '@safecity/messaging';
import { ObservabilityModule } from '@safecity/observability';
import { serviceDataSourceOptions, UnitOfWork, UnitOfWorkModule } from '@safecity/persistence';
import {
  MediaCredentialsSealer,
  SecurityModule,
  securityOptionsFor,
  ServiceCredentials,
  type IdentitySetup,
} from '@safecity/security';
import { VisionModels } from '@safecity/vision';
import { AllSources } from './assignment/all-sources';
import { PartitionedSources } from './assignment/partitioned-sources';
import { WATCHED_SOURCES } from './assignment/watched-sources';
import { CameraHealthReporter } from './delivery/camera-health.reporter';
import { DetectionDelivery } from './delivery/detection-delivery';
import { videoAnalyticsMigrations } from './migrations';
import { VIDEO_ANALYTICS_APP_ROLE, VIDEO_ANALYTICS_SCHEMA } from './schema';
import { CameraMediaConsumer } from './sources/camera-media.consumer';
import { CameraSourcesRepository } from './sources/camera-sources.repository';
import type { CameraSource } from './sources/camera-source';
import type { FrameAnalyser } from './watch/camera-watcher';
import { WATCHER_DEPS, WatchSupervisor } from './watch/watch-supervisor';
import { WatchedCamerasController } from './watch/watched-cameras.controller';

export { VIDEO_ANALYTICS_SCHEMA };
export const VIDEO_ANALYTICS_SERVICE = 'video-analytics';

export interface VideoAnalyticsModuleOptions {
  databaseUrl: string;
  transport: BusTransport;
  identity: IdentitySetup;
  /** recognition's REST base URL. */
  recognitionUrl: string;
  /** MEDIA_CREDENTIALS_KEY (base64 of 32 bytes); absent: the public development key. */
  mediaCredentialsKey?: string;
  /** What analyses a camera's frames; default the packaged models, loaded when a camera first needs them. */
  analyserFor?: (source: CameraSource) => FrameAnalyser;
  /** Kafka only: the media topic (tests give their own) and the membership group's session timeout. */
  mediaTopic?: string;
  membershipGroup?: string;
  sessionTimeoutMs?: number;
  /** How often the state of every watched camera is reported; default 30 s. */
  healthIntervalMs?: number;
  ffmpeg?: string;
}

/** `runtime` connections act as the application role; migrations as the login that owns the schema. */
export function videoAnalyticsDataSourceOptions(
  databaseUrl: string,
  use: 'runtime' | 'migrations' = 'runtime',
) {
  return serviceDataSourceOptions({
    url: databaseUrl,
    schema: VIDEO_ANALYTICS_SCHEMA,
    entities: [],
    migrations: videoAnalyticsMigrations,
    applicationName: VIDEO_ANALYTICS_SERVICE,
    applicationRole: use === 'runtime' ? VIDEO_ANALYTICS_APP_ROLE : undefined,
  });
}

@Module({})
export class VideoAnalyticsModule {
  static forRoot(options: VideoAnalyticsModuleOptions): DynamicModule {
    const transport = options.transport;
    return {
      module: VideoAnalyticsModule,
      imports: [
        TypeOrmModule.forRoot(videoAnalyticsDataSourceOptions(options.databaseUrl)),
        UnitOfWorkModule.forRoot({ dataSourceName: VIDEO_ANALYTICS_SCHEMA }),
        MessagingModule.forRoot({
          dataSourceName: VIDEO_ANALYTICS_SCHEMA,
          serviceName: VIDEO_ANALYTICS_SERVICE,
          schema: VIDEO_ANALYTICS_SCHEMA,
          transport,
          topicConfigs: TOPIC_SETTINGS,
        }),
        ObservabilityModule.forRoot({
          serviceName: VIDEO_ANALYTICS_SERVICE,
          dataSourceToken: getDataSourceToken(VIDEO_ANALYTICS_SCHEMA),
        }),
        SecurityModule.forRoot(securityOptionsFor(options.identity, VIDEO_ANALYTICS_SERVICE)),
      ],
      controllers: [CameraMediaConsumer, WatchedCamerasController],
      providers: [
        CameraSourcesRepository,
        {
          provide: WATCHED_SOURCES,
          useFactory: (repository: CameraSourcesRepository) =>
            transport.kind === 'kafka'
              ? new PartitionedSources({
                  connection: transport.connection,
                  topic: options.mediaTopic ?? Topics.CameraMedia,
                  groupId: options.membershipGroup ?? `${consumerGroupOf(VIDEO_ANALYTICS_SERVICE)}.watchers`,
                  sessionTimeoutMs: options.sessionTimeoutMs ?? 6_000,
                })
              : new AllSources(repository),
          inject: [CameraSourcesRepository],
        },
        {
          provide: WATCHER_DEPS,
          useFactory: (outbox: Outbox, unit: UnitOfWork, credentials: ServiceCredentials) => ({
            analyserFor: options.analyserFor ?? (() => VisionModels.shared()),
            delivery: new DetectionDelivery(credentials, { recognitionUrl: options.recognitionUrl }),
            health: new CameraHealthReporter(outbox, unit, options.healthIntervalMs),
            sealer: options.mediaCredentialsKey
              ? MediaCredentialsSealer.fromBase64(options.mediaCredentialsKey)
              : MediaCredentialsSealer.development(),
            ffmpeg: options.ffmpeg,
          }),
          inject: [Outbox, UnitOfWork, ServiceCredentials],
        },
        WatchSupervisor,
      ],
    };
  }
}
