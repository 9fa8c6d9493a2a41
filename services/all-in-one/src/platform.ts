import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { InProcessBus } from '@safecity/messaging';
import { startEmbeddedPostgres, type RunningPostgres } from '@safecity/persistence';
import { issuerDirectoryIn, LocalIssuer, type IdentitySetup } from '@safecity/security';
import type { RunningServiceApp } from '@safecity/service-kit';
import { startCameraRegistry } from '@safecity/camera-registry';
import { startRecognition } from '@safecity/recognition';
import { startIncidents } from '@safecity/incidents';
import { startPrevention } from '@safecity/prevention';
import { startVideoAnalytics, type VideoAnalyticsRuntime } from '@safecity/video-analytics';
import type { AllInOneConfig } from './config';

export interface RunningPlatform {
  databaseUrl: string;
  /** The embedded default's token issuer, shared by every service (see `npm run token`). */
  issuer: LocalIssuer;
  bus: InProcessBus;
  services: RunningServiceApp[];
  grpc: Record<string, string>;
  stop(): Promise<void>;
}

async function ensureDatabase(adminUrl: string, name: string): Promise<string> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * The embedded default: every service in this process, one PostgreSQL (embedded unless
 * DATABASE_URL is given) with a schema per service, the in-process bus instead of Kafka, and gRPC
 * between services on loopback, exactly as they would talk across machines.
 */
export interface PlatformOverrides {
  /** Tests replay recorded analyses for a camera (see VideoAnalyticsModuleOptions.analyserFor). */
  videoAnalytics?: Pick<VideoAnalyticsRuntime, 'analyserFor' | 'healthIntervalMs'>;
}

export async function startPlatform(
  config: AllInOneConfig,
  overrides: PlatformOverrides = {},
): Promise<RunningPlatform> {
  let postgres: RunningPostgres | null = null;
  let databaseUrl = config.DATABASE_URL;
  if (!databaseUrl) {
    postgres = await startEmbeddedPostgres({
      dataDir: join(resolve(config.DATA_DIR), 'postgres'),
      port: config.EMBEDDED_POSTGRES_PORT,
      persistent: true,
    });
    databaseUrl = await ensureDatabase(postgres.url, 'safecity');
  }
  const issuer = await LocalIssuer.open({ directory: issuerDirectoryIn(config.DATA_DIR) });
  const identity: IdentitySetup = { kind: 'local', issuer };
  const bus = new InProcessBus();
  const transport = { kind: 'in-process' as const, bus };
  const cameraRegistryGrpc = `127.0.0.1:${config.CAMERA_REGISTRY_GRPC_PORT}`;
  const recognitionGrpc = `127.0.0.1:${config.RECOGNITION_GRPC_PORT}`;
  const incidentsGrpc = `127.0.0.1:${config.INCIDENTS_GRPC_PORT}`;
  const preventionGrpc = `127.0.0.1:${config.PREVENTION_GRPC_PORT}`;
  const services: RunningServiceApp[] = [];
  const stop = async () => {
    for (const service of [...services].reverse()) await service.close().catch(() => undefined);
    bus.close();
    await postgres?.stop();
  };
  try {
    services.push(
      await startCameraRegistry({
        databaseUrl,
        transport,
        http: { port: config.CAMERA_REGISTRY_HTTP_PORT, host: config.HTTP_HOST },
        grpcUrl: cameraRegistryGrpc,
        identity,
        runMigrations: true,
      }),
    );
    services.push(
      await startRecognition({
        databaseUrl,
        transport,
        http: { port: config.RECOGNITION_HTTP_PORT, host: config.HTTP_HOST },
        grpcUrl: recognitionGrpc,
        cameraRegistryGrpcUrl: cameraRegistryGrpc,
        identity,
        runMigrations: true,
        // Pictures live with the rest of the platform's data, wherever DATA_DIR puts it.
        ingestion: { media: { directory: join(resolve(config.DATA_DIR), 'recognition-media') } },
      }),
    );
    services.push(
      await startIncidents({
        databaseUrl,
        transport,
        http: { port: config.INCIDENTS_HTTP_PORT, host: config.HTTP_HOST },
        grpcUrl: incidentsGrpc,
        cameraRegistryGrpcUrl: cameraRegistryGrpc,
        recognitionGrpcUrl: recognitionGrpc,
        identity,
        runMigrations: true,
      }),
    );
    services.push(
      await startPrevention({
        databaseUrl,
        transport,
        http: { port: config.PREVENTION_HTTP_PORT, host: config.HTTP_HOST },
        grpcUrl: preventionGrpc,
        identity,
        runMigrations: true,
      }),
    );
    // Loads no model until a camera with a media source needs one, so it adds nothing to the start.
    services.push(
      await startVideoAnalytics({
        databaseUrl,
        transport,
        http: { port: config.VIDEO_ANALYTICS_HTTP_PORT, host: config.HTTP_HOST },
        identity,
        runMigrations: true,
        recognitionUrl: services[1].httpUrl,
        // Seconds, not half a minute: a newcomer sees a camera's state as soon as it changes.
        healthIntervalMs: 10_000,
        ...overrides.videoAnalytics,
      }),
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    databaseUrl,
    issuer,
    bus,
    services,
    grpc: {
      'camera-registry': cameraRegistryGrpc,
      recognition: recognitionGrpc,
      incidents: incidentsGrpc,
      prevention: preventionGrpc,
    },
    stop,
  };
}
