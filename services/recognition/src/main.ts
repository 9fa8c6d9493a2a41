import './instrument';
import { identityFromConfig } from '@safecity/security';
import { loadConfig, closeOnSignals } from '@safecity/service-kit';
import { startRecognition } from './bootstrap';
import { RecognitionConfig } from './config';

async function main() {
  const config = loadConfig(RecognitionConfig);
  const service = await startRecognition({
    databaseUrl: config.DATABASE_URL,
    transport: { kind: 'kafka', connection: { brokers: config.KAFKA_BROKERS, clientId: 'recognition' } },
    http: { port: config.HTTP_PORT, host: config.HTTP_HOST },
    cameraRegistryGrpcUrl: config.CAMERA_REGISTRY_GRPC_URL,
    identity: await identityFromConfig(config),
    runMigrations: config.RUN_MIGRATIONS,
    maxAttempts: config.EVENT_MAX_ATTEMPTS,
    sessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS,
    grpcUrl: config.GRPC_URL,
    ingestion: { media: { directory: config.MEDIA_DIR } },
    matching: {
      faces: {
        templateKey: config.FACE_TEMPLATE_KEY,
        developmentKey: config.FACE_TEMPLATE_KEY_DEVELOPMENT,
      },
      watchlistRetentionDays: config.WATCHLIST_RETENTION_DAYS,
      unconfirmedMatchRetentionDays: config.UNCONFIRMED_MATCH_RETENTION_DAYS,
      confirmedMatchRetentionDays: config.CONFIRMED_MATCH_RETENTION_DAYS,
      behaviourAlertRetentionDays: config.BEHAVIOUR_ALERT_RETENTION_DAYS,
    },
  });
  process.stdout.write(`recognition: REST ${service.httpUrl} (docs at /docs), gRPC ${service.grpcUrl}\n`);
  closeOnSignals(service);
}

main().catch((error) => {
  process.stderr.write(
    `recognition failed to start: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});
