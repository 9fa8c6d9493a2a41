import {
  CAMERA_REGISTRY_SERVICE_NAME,
  CameraRegistryGrpc,
  eventCodecFor,
  grpcOptions,
  SAFECITY_CAMERAS_V1_PACKAGE_NAME,
  TOPIC_SETTINGS,
} from '@safecity/contracts';
import type { BusTransport } from '@safecity/messaging';
import type { IdentitySetup } from '@safecity/security';
import { migrateServiceSchema } from '@safecity/persistence';
import { DataSource } from 'typeorm';
import { startServiceApp, type RunningServiceApp } from '@safecity/service-kit';
import {
  CAMERA_REGISTRY_SERVICE,
  CameraRegistryModule,
  cameraRegistryDataSourceOptions,
} from './camera-registry.module';
import type { CameraHealthOptions } from './camera-health';
import { encodeFrozenAnswersOnce } from './cameras/encoded-answers';
import openApiResponses from './openapi-responses.json';

export interface CameraRegistryRuntime {
  databaseUrl: string;
  transport: BusTransport;
  http: { port: number; host?: string };
  grpcUrl: string;
  runMigrations: boolean;
  identity: IdentitySetup;
  health?: CameraHealthOptions;
  /** Only the security tests turn it off (see CameraRegistryModuleOptions). */
  regionFilterInQueries?: boolean;
  /** See CameraRegistryModuleOptions. */
  scheduleRetention?: boolean;
  /** See CameraRegistryModuleOptions. */
  mediaCredentialsKey?: string;
}

export async function migrateCameraRegistry(databaseUrl: string): Promise<string[]> {
  return migrateServiceSchema(new DataSource(cameraRegistryDataSourceOptions(databaseUrl, 'migrations')));
}

export async function startCameraRegistry(runtime: CameraRegistryRuntime): Promise<RunningServiceApp> {
  if (runtime.runMigrations) await migrateCameraRegistry(runtime.databaseUrl);
  return startServiceApp({
    serviceName: CAMERA_REGISTRY_SERVICE,
    module: CameraRegistryModule.forRoot({
      databaseUrl: runtime.databaseUrl,
      transport: runtime.transport,
      identity: runtime.identity,
      health: runtime.health,
      regionFilterInQueries: runtime.regionFilterInQueries,
      scheduleRetention: runtime.scheduleRetention,
      mediaCredentialsKey: runtime.mediaCredentialsKey,
    }),
    http: runtime.http,
    grpc: {
      ...grpcOptions(CameraRegistryGrpc),
      url: runtime.grpcUrl,
      onLoadPackageDefinition: (definition) =>
        encodeFrozenAnswersOnce(
          definition,
          `${SAFECITY_CAMERAS_V1_PACKAGE_NAME}.${CAMERA_REGISTRY_SERVICE_NAME}`,
          'ResolveExternalCamera',
        ),
    },
    events: {
      serviceName: CAMERA_REGISTRY_SERVICE,
      transport: runtime.transport,
      codecs: eventCodecFor,
      topicConfigs: TOPIC_SETTINGS,
    },
    openApi: {
      title: 'Safe City camera registry',
      description: 'Regions, video systems and cameras of every akimat behind one API.',
      responses: openApiResponses,
    },
  });
}
