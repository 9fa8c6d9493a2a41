import './instrument';
import { identityFromConfig } from '@safecity/security';
import { loadConfig, closeOnSignals } from '@safecity/service-kit';
import { startCameraRegistry } from './bootstrap';
import { CameraRegistryConfig } from './config';

async function main() {
  const config = loadConfig(CameraRegistryConfig);
  const service = await startCameraRegistry({
    databaseUrl: config.DATABASE_URL,
    transport: { kind: 'kafka', connection: { brokers: config.KAFKA_BROKERS, clientId: 'camera-registry' } },
    http: { port: config.HTTP_PORT, host: config.HTTP_HOST },
    grpcUrl: config.GRPC_URL,
    identity: await identityFromConfig(config),
    runMigrations: config.RUN_MIGRATIONS,
    mediaCredentialsKey: config.MEDIA_CREDENTIALS_KEY,
  });
  process.stdout.write(`camera-registry: REST ${service.httpUrl} (docs at /docs), gRPC ${config.GRPC_URL}\n`);
  closeOnSignals(service);
}

main().catch((error) => {
  process.stderr.write(
    `camera-registry failed to start: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});
