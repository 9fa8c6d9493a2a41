import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// jest loads the global setup outside the test runtime, where the @safecity/* aliases do not resolve.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { startEmbeddedPostgres } from '../../persistence/src/embedded-postgres';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { ALL_TOPICS, dlqTopic, retryTopic, TOPIC_SETTINGS } from '../../contracts/src/topics';
import { Kafka, logLevel } from 'kafkajs';
import { KafkaBroker } from './kafka/kafka-broker';

/**
 * Creates the platform's topics as `npm run topics` does on a cluster, before any suite
 * runs. Otherwise whichever suite touches a topic first creates it with the broker's defaults (a
 * camera topic that deletes instead of compacting), or subscribes while its leader is not elected.
 */
async function createPlatformTopics(brokers: string): Promise<void> {
  const admin = new Kafka({ brokers: brokers.split(','), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const topics = ALL_TOPICS.flatMap((topic) => [
      {
        topic,
        configEntries: Object.entries(TOPIC_SETTINGS[topic] ?? {}).map(([name, value]) => ({ name, value })),
      },
      { topic: retryTopic(topic), configEntries: [] },
      { topic: dlqTopic(topic), configEntries: [] },
    ]).filter((t) => !existing.has(t.topic));
    if (topics.length) {
      await admin.createTopics({
        topics: topics.map((t) => ({ ...t, numPartitions: 3 })),
        waitForLeaders: true,
      });
    }
  } finally {
    await admin.disconnect();
  }
}

/**
 * Starts the real infrastructure every test suite shares: an embedded PostgreSQL server (each
 * suite makes its own database on it) and, unless KAFKA_BROKERS points at one already, a real
 * Kafka broker. With REQUIRE_KAFKA=1 a broker that cannot be had fails the run.
 */
export default async function globalSetup(): Promise<void> {
  const started: { stop(): Promise<void> }[] = [];
  (globalThis as { __SAFECITY_INFRA__?: unknown }).__SAFECITY_INFRA__ = started;

  if (!process.env.TEST_DATABASE_URL) {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'safecity-pg-')), 'data');
    const postgres = await startEmbeddedPostgres({ dataDir, persistent: false });
    started.push(postgres);
    process.env.TEST_DATABASE_URL = postgres.url;
  }

  if (!process.env.KAFKA_BROKERS && process.env.SKIP_KAFKA !== '1') {
    try {
      const broker = new KafkaBroker();
      process.env.KAFKA_BROKERS = await broker.start();
      started.push(broker);
      await createPlatformTopics(process.env.KAFKA_BROKERS);
    } catch (error) {
      if (process.env.REQUIRE_KAFKA === '1') {
        throw new Error(`REQUIRE_KAFKA=1 but no Kafka broker could be started: ${(error as Error).message}`);
      }
      process.stderr.write(
        `\n!!! Kafka broker could not be started (${(error as Error).message}).\n` +
          '!!! The Kafka suites will be SKIPPED. Set KAFKA_BROKERS or run deploy/kafka/resolve.sh.\n\n',
      );
    }
  }
}
