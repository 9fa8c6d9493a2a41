import { ClientKafka, type KafkaOptions } from '@nestjs/microservices';
import { CompressionTypes, Kafka, type Admin, type Message } from 'kafkajs';
import type { BusRecord } from '../envelope';
import type { EventPublisher } from '../publisher';
import { acknowledgedProducerConfig, sendAcknowledged } from './acknowledged-send';
import { kafkaClientConfig, type KafkaConnection } from './kafka-config';
import { installFetchDecoding } from './fetch-response';
import { installProduceEncoding } from './produce-request';

// Every kafkajs client of the process, the platform's and any other, encodes produce requests and
// decodes fetched records in one pass (the same bytes and objects as kafkajs' own code).
installProduceEncoding();
installFetchDecoding();

/**
 * Producer side of the Kafka transport: Nest's ClientKafka in producer-only mode, and batched
 * publishing with `acks=all` for the outbox relay, the retry topics and the dead letters. The
 * producer is made and used as `acknowledged-send.ts` says: kafkajs' own retries and idempotence
 * can acknowledge records that were never written when a partition's leader fails.
 */
export class KafkaEventClient extends ClientKafka implements EventPublisher {
  readonly transportName = 'kafka';

  private readonly ensured = new Set<string>();

  constructor(
    private readonly connection: KafkaConnection,
    private readonly topicOptions: {
      topicConfigs?: Record<string, Record<string, string>>;
      partitions?: number;
    } = {},
  ) {
    super({
      client: kafkaClientConfig(connection),
      producerOnlyMode: true,
      postfixId: '',
      producer: { ...acknowledgedProducerConfig(), allowAutoTopicCreation: true },
      send: { acks: -1 },
    } satisfies KafkaOptions['options']);
  }

  override async connect() {
    try {
      return await super.connect();
    } catch (error) {
      // A failed first connect must not poison every later attempt (Kafka may come up later).
      this.initialized = null;
      await this._producer?.disconnect().catch(() => undefined);
      this._producer = null;
      throw error;
    }
  }

  async publishBatch(records: BusRecord[]): Promise<void> {
    if (records.length === 0) return;
    const producer = await this.connect();
    await this.ensureTopics([...new Set(records.map((r) => r.topic))].filter((t) => !this.ensured.has(t)));
    const byTopic = new Map<string, Message[]>();
    for (const r of records) {
      const list = byTopic.get(r.topic) ?? [];
      list.push({ key: r.key, value: r.value, headers: r.headers });
      byTopic.set(r.topic, list);
    }
    await sendAcknowledged(producer, {
      compression: CompressionTypes.None,
      topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
    });
  }

  async isHealthy(): Promise<boolean> {
    const admin = this.admin();
    try {
      await admin.connect();
      await admin.describeCluster();
      return true;
    } catch {
      return false;
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  /**
   * Creates topics this producer is first to write, with their settings (compaction for state
   * topics); broker auto-creation would silently give them the defaults.
   */
  private async ensureTopics(topics: string[]) {
    if (topics.length === 0) return;
    const admin = this.admin();
    await admin.connect();
    try {
      const existing = new Set(await admin.listTopics());
      const missing = topics.filter((t) => !existing.has(t));
      if (missing.length > 0) {
        await admin
          .createTopics({
            waitForLeaders: true,
            topics: missing.map((topic) => ({
              topic,
              numPartitions: this.topicOptions.partitions ?? 3,
              configEntries: Object.entries(this.topicOptions.topicConfigs?.[topic] ?? {}).map(
                ([name, value]) => ({
                  name,
                  value,
                }),
              ),
            })),
          })
          .catch((error: Error) => {
            if (!/already exists/i.test(error.message)) throw error;
          });
      }
      for (const topic of topics) this.ensured.add(topic);
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  admin(): Admin {
    return new Kafka(kafkaClientConfig(this.connection)).admin();
  }
}
