import './instrument';
import { identityFromConfig } from '@safecity/security';
import { closeOnSignals, loadConfig } from '@safecity/service-kit';
import { startVideoAnalytics } from './bootstrap';
import { VideoAnalyticsConfig } from './config';

async function main() {
  const config = loadConfig(VideoAnalyticsConfig);
  const service = await startVideoAnalytics({
    databaseUrl: config.DATABASE_URL,
    transport: { kind: 'kafka', connection: { brokers: config.KAFKA_BROKERS, clientId: 'video-analytics' } },
    http: { port: config.HTTP_PORT, host: config.HTTP_HOST },
    identity: await identityFromConfig(config),
    runMigrations: config.RUN_MIGRATIONS,
    recognitionUrl: config.RECOGNITION_URL,
    mediaCredentialsKey: config.MEDIA_CREDENTIALS_KEY,
    sessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS,
    ffmpeg: config.FFMPEG_PATH,
  });
  process.stdout.write(`video-analytics: REST ${service.httpUrl} (docs at /docs)\n`);
  closeOnSignals(service);
}

main().catch((error) => {
  process.stderr.write(
    `video-analytics failed to start: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});
