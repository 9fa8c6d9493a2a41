import { CameraRegistryGrpc, grpcOptions } from '@safecity/contracts';
import type { BusTransport } from '@safecity/messaging';
import { migrateServiceSchema } from '@safecity/persistence';
import { DataSource } from 'typeorm';
import { startServiceApp, type RunningServiceApp } from '@safecity/service-kit';
import {
  CAMERA_REGISTRY_SERVICE,
  CameraRegistryModule,
  cameraRegistryDataSourceOptions,
} from './camera-registry.module';

export interface CameraRegistryRuntime {
  databaseUrl: string;
  transport: BusTransport;
  http: { port: number; host?: string };
  grpcUrl: string;
  runMigrations: boolean;
}

export async function migrateCameraRegistry(databaseUrl: string): Promise<string[]> {
  return migrateServiceSchema(new DataSource(cameraRegistryDataSourceOptions(databaseUrl)));
}

export async function startCameraRegistry(runtime: CameraRegistryRuntime): Promise<RunningServiceApp> {
  if (runtime.runMigrations) await migrateCameraRegistry(runtime.databaseUrl);
  return startServiceApp({
    serviceName: CAMERA_REGISTRY_SERVICE,
    module: CameraRegistryModule.forRoot({ databaseUrl: runtime.databaseUrl, transport: runtime.transport }),
    http: runtime.http,
    grpc: { ...grpcOptions(CameraRegistryGrpc), url: runtime.grpcUrl },
    openApi: {
      title: 'Safe City camera registry',
      description: 'Regions, video systems and cameras of every akimat behind one API.',
    },
  });
}
