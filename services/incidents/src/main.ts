import './instrument';
import { identityFromConfig } from '@safecity/security';
import { loadConfig, closeOnSignals } from '@safecity/service-kit';
import { startIncidents } from './bootstrap';
import { IncidentsConfig } from './config';
import { parseCorrelationRules } from './correlation/correlation-rules';
import { parseSlaPolicy } from './operations/sla-policy';

async function main() {
  const config = loadConfig(IncidentsConfig);
  const service = await startIncidents({
    databaseUrl: config.DATABASE_URL,
    transport: { kind: 'kafka', connection: { brokers: config.KAFKA_BROKERS, clientId: 'incidents' } },
    http: { port: config.HTTP_PORT, host: config.HTTP_HOST },
    grpcUrl: config.GRPC_URL,
    cameraRegistryGrpcUrl: config.CAMERA_REGISTRY_GRPC_URL,
    recognitionGrpcUrl: config.RECOGNITION_GRPC_URL,
    identity: await identityFromConfig(config),
    runMigrations: config.RUN_MIGRATIONS,
    maxAttempts: config.EVENT_MAX_ATTEMPTS,
    sessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS,
    liveFeedPollIntervalMs: config.LIVE_FEED_POLL_INTERVAL_MS,
    liveFeedFlushIntervalMs: config.LIVE_FEED_FLUSH_INTERVAL_MS,
    outboxLingerMs: config.OUTBOX_LINGER_MS,
    liveStreamsPerUser: config.LIVE_STREAMS_PER_USER,
    anonymousCitizenReports: {
      burst: config.CITIZEN_ANONYMOUS_REPORTS_BURST,
      perMinute: config.CITIZEN_ANONYMOUS_REPORTS_PER_MINUTE,
    },
    correlation: parseCorrelationRules(config.INCIDENT_CORRELATION),
    sla: parseSlaPolicy(config.INCIDENT_SLA),
    retention: {
      dismissedIncidentDays: config.DISMISSED_INCIDENT_RETENTION_DAYS,
      endedIncidentDays: config.INCIDENT_RETENTION_DAYS,
      citizenContactDays: config.CITIZEN_CONTACT_RETENTION_DAYS,
    },
  });
  process.stdout.write(`incidents: REST ${service.httpUrl} (docs at /docs), gRPC ${service.grpcUrl}\n`);
  closeOnSignals(service);
}

main().catch((error) => {
  process.stderr.write(
    `incidents failed to start: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});
