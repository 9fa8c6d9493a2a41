import { ClientKafka, type KafkaOptions } from '@nestjs/microservices';
import { CompressionTypes, Kafka, type Admin, type Message } from 'kafkajs';
import type { BusRecord } from '../envelope';
import type { EventPublisher } from '../publisher';
import { kafkaClientConfig, type KafkaConnection } from './kafka-config';

/**
 * Producer side of the Kafka transport: Nest's ClientKafka in producer-only mode with an idempotent
 * producer, and batched publishing with `acks=all` for the outbox relay.
 */
export class KafkaEventClient extends ClientKafka implements EventPublisher {
  readonly transportName = 'kafka';

  constructor(private readonly connection: KafkaConnection) {
    super({
      client: kafkaClientConfig(connection),
      producerOnlyMode: true,
      postfixId: '',
      producer: {
        idempotent: true,
        maxInFlightRequests: 5,
        allowAutoTopicCreation: true,
      },
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
    const byTopic = new Map<string, Message[]>();
    for (const r of records) {
      const list = byTopic.get(r.topic) ?? [];
      list.push({ key: r.key, value: r.value, headers: r.headers });
      byTopic.set(r.topic, list);
    }
    await producer.sendBatch({
      acks: -1,
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

  admin(): Admin {
    return new Kafka(kafkaClientConfig(this.connection)).admin();
  }
}
