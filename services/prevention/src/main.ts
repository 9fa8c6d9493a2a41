import './instrument';
import { identityFromConfig } from '@safecity/security';
import { loadConfig, closeOnSignals } from '@safecity/service-kit';
import { startPrevention } from './bootstrap';
import { PreventionConfig } from './config';

async function main() {
  const config = loadConfig(PreventionConfig);
  const service = await startPrevention({
    databaseUrl: config.DATABASE_URL,
    transport: { kind: 'kafka', connection: { brokers: config.KAFKA_BROKERS, clientId: 'prevention' } },
    http: { port: config.HTTP_PORT, host: config.HTTP_HOST },
    grpcUrl: config.GRPC_URL,
    identity: await identityFromConfig(config),
    runMigrations: config.RUN_MIGRATIONS,
    maxAttempts: config.EVENT_MAX_ATTEMPTS,
    sessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS,
    retention: { subjectRetentionDays: config.SUBJECT_RETENTION_DAYS },
  });
  process.stdout.write(`prevention: REST ${service.httpUrl} (docs at /docs), gRPC ${service.grpcUrl}\n`);
  closeOnSignals(service);
}

main().catch((error) => {
  process.stderr.write(
    `prevention failed to start: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});
