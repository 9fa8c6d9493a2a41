import { eventCodecFor, TOPIC_SETTINGS } from '@safecity/contracts';
import type { BusTransport } from '@safecity/messaging';
import { migrateServiceSchema } from '@safecity/persistence';
import type { IdentitySetup } from '@safecity/security';
import { startServiceApp, type RunningServiceApp } from '@safecity/service-kit';
import { DataSource } from 'typeorm';
import {
  VIDEO_ANALYTICS_SERVICE,
  VideoAnalyticsModule,
  videoAnalyticsDataSourceOptions,
  type VideoAnalyticsModuleOptions,
} from './video-analytics.module';

export interface VideoAnalyticsRuntime extends Omit<VideoAnalyticsModuleOptions, 'identity'> {
  databaseUrl: string;
  transport: BusTransport;
  http: { port: number; host?: string };
  identity: IdentitySetup;
  runMigrations: boolean;
  /** Name the media read model's consumer group is derived from (tests sharing a broker give their own). */
  eventConsumerName?: string;
}

export async function migrateVideoAnalytics(databaseUrl: string): Promise<string[]> {
  return migrateServiceSchema(new DataSource(videoAnalyticsDataSourceOptions(databaseUrl, 'migrations')));
}

/**
 * Starts the service: REST for its health, metrics and status; the media topic's read model; the
 * watchers. The models load only when a watched camera's first frame needs them, so an instance
 * with no camera to watch starts as fast as any other service.
 */
export async function startVideoAnalytics(runtime: VideoAnalyticsRuntime): Promise<RunningServiceApp> {
  if (runtime.runMigrations) await migrateVideoAnalytics(runtime.databaseUrl);
  const { http, runMigrations: _migrations, eventConsumerName, ...options } = runtime;
  return startServiceApp({
    serviceName: VIDEO_ANALYTICS_SERVICE,
    module: VideoAnalyticsModule.forRoot(options),
    http,
    events: {
      serviceName: eventConsumerName ?? VIDEO_ANALYTICS_SERVICE,
      transport: runtime.transport,
      codecs: eventCodecFor,
      topicConfigs: TOPIC_SETTINGS,
      sessionTimeoutMs: runtime.sessionTimeoutMs,
    },
    openApi: {
      title: 'Safe City video analytics',
      description: 'Faces, people, vehicles and falls from cameras without analytics of their own.',
    },
  });
}
