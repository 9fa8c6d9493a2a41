import { eventCodecFor, grpcOptions, RecognitionGrpc, TOPIC_SETTINGS } from '@safecity/contracts';
import type { BusTransport } from '@safecity/messaging';
import type { IdentitySetup } from '@safecity/security';
import { migrateServiceSchema } from '@safecity/persistence';
import { startServiceApp, type RunningServiceApp } from '@safecity/service-kit';
import { DataSource } from 'typeorm';
import type { MatchingOptions } from './matching.module';
import { RECOGNITION_SERVICE, RecognitionModule, recognitionDataSourceOptions } from './recognition.module';

export interface RecognitionRuntime {
  databaseUrl: string;
  transport: BusTransport;
  http: { port: number; host?: string };
  cameraRegistryGrpcUrl: string;
  identity: IdentitySetup;
  runMigrations: boolean;
  /** Deliveries of an event before it is dead-lettered. */
  maxAttempts?: number;
  sessionTimeoutMs?: number;
  /** `host:port` of this service's gRPC server (matches, alerts); none when omitted. */
  grpcUrl?: string;
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
      matching: runtime.matching,
    }),
    http: runtime.http,
    grpc: runtime.grpcUrl ? { ...grpcOptions(RecognitionGrpc), url: runtime.grpcUrl } : undefined,
    events: {
      serviceName: RECOGNITION_SERVICE,
      transport: runtime.transport,
      codecs: eventCodecFor,
      topicConfigs: TOPIC_SETTINGS,
      maxAttempts: runtime.maxAttempts,
      sessionTimeoutMs: runtime.sessionTimeoutMs,
    },
    openApi: {
      title: 'Safe City recognition',
      description: 'Ingestion of vendor analytics, watchlists and matches.',
    },
  });
}
