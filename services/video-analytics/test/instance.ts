/**
 * One video-analytics instance as its own OS process, for the group membership suite (which
 * kill -9s it like a crashed pod). Settings come from the environment the suite gives it.
 */
import { LocalIssuer } from '@safecity/security';
import { startVideoAnalytics } from '../src/bootstrap';

async function main() {
  const env = (name: string) => {
    const value = process.env[name];
    if (!value) throw new Error(`${name} is not set`);
    return value;
  };
  const service = await startVideoAnalytics({
    databaseUrl: env('DATABASE_URL'),
    transport: {
      kind: 'kafka',
      connection: { brokers: env('KAFKA_BROKERS'), clientId: 'video-analytics-test' },
    },
    http: { port: 0, host: '127.0.0.1' },
    identity: { kind: 'local', issuer: await LocalIssuer.open({ directory: env('LOCAL_ISSUER_DIR') }) },
    runMigrations: false,
    recognitionUrl: env('RECOGNITION_URL'),
    mediaTopic: env('MEDIA_TOPIC'),
    membershipGroup: env('MEMBERSHIP_GROUP'),
    eventConsumerName: env('EVENT_CONSUMER_NAME'),
    sessionTimeoutMs: Number(env('SESSION_TIMEOUT_MS')),
  });
  process.stdout.write(`listening ${service.httpUrl}\n`);
  const stop = () => void service.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error) => {
  process.stderr.write(`instance failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
