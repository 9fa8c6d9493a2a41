import { eventCodecFor, grpcOptions, RecognitionGrpc, TOPIC_SETTINGS } from '@safecity/contracts';
import type { BusTransport } from '@safecity/messaging';
import type { IdentitySetup } from '@safecity/security';
import { migrateServiceSchema } from '@safecity/persistence';
import { startServiceApp, type BodyDeadlineOptions, type RunningServiceApp } from '@safecity/service-kit';
import { DataSource } from 'typeorm';
import type { FrigateMqttSource } from './ingestion/frigate/frigate-mqtt.subscriber';
import type { IngestionOverrides } from './ingestion/ingestion-settings';
import type { MatchingOptions } from './matching.module';
import { RECOGNITION_SERVICE, RecognitionModule, recognitionDataSourceOptions } from './recognition.module';
import openApiResponses from './openapi-responses.json';

export interface RecognitionRuntime {
  databaseUrl: string;
  transport: BusTransport;
  http: { port: number; host?: string; bodyDeadline?: BodyDeadlineOptions };
  cameraRegistryGrpcUrl: string;
  identity: IdentitySetup;
  runMigrations: boolean;
  /** Deliveries of an event before it is dead-lettered. */
  maxAttempts?: number;
  sessionTimeoutMs?: number;
  /** `host:port` for the `Recognition` gRPC server; none when absent. */
  grpcUrl?: string;
  ingestion?: IngestionOverrides;
  retentionIntervalMs?: number;
  /**
   * Name the event consumer's group is derived from; default the service's. Suites and benchmarks
   * that share a broker with other instances give their own, so partitions are not split with them.
   */
  eventConsumerName?: string;
  /** Frigate MQTT brokers to subscribe to (`frigate/events`). */
  frigateMqtt?: FrigateMqttSource[];
  matching?: MatchingOptions;
}

export async function migrateRecognition(databaseUrl: string): Promise<string[]> {
  return migrateServiceSchema(new DataSource(recognitionDataSourceOptions(databaseUrl, 'migrations')));
}

export async function startRecognition(runtime: RecognitionRuntime): Promise<RunningServiceApp> {
  if (runtime.runMigrations) await migrateRecognition(runtime.databaseUrl);
  return startServiceApp({
    serviceName: RECOGNITION_SERVICE,
    module: RecognitionModule.forRoot({
      databaseUrl: runtime.databaseUrl,
      transport: runtime.transport,
      cameraRegistryGrpcUrl: runtime.cameraRegistryGrpcUrl,
      identity: runtime.identity,
      ingestion: runtime.ingestion,
      retentionIntervalMs: runtime.retentionIntervalMs,
      frigateMqtt: runtime.frigateMqtt,
      matching: runtime.matching,
    }),
    http: runtime.http,
    grpc: runtime.grpcUrl ? { ...grpcOptions(RecognitionGrpc), url: runtime.grpcUrl } : undefined,
    events: {
      serviceName: runtime.eventConsumerName ?? RECOGNITION_SERVICE,
      transport: runtime.transport,
      codecs: eventCodecFor,
      topicConfigs: TOPIC_SETTINGS,
      maxAttempts: runtime.maxAttempts,
      sessionTimeoutMs: runtime.sessionTimeoutMs,
    },
    openApi: {
      title: 'Safe City recognition',
      description: 'Ingestion of vendor analytics, watchlists and matches.',
      responses: openApiResponses,
    },
  });
}
