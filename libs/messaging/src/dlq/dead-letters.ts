import { Kafka, type Admin, type KafkaMessage } from 'kafkajs';
import { DeliveryHeader, headersToStrings, type BusRecord, type ConsumedRecord } from '../envelope';
import { acknowledgedProducerConfig, sendAcknowledged } from '../kafka/acknowledged-send';
import { kafkaClientConfig, type KafkaConnection } from '../kafka/kafka-config';
import { baseTopicOf, isDlqTopic, retryTopicOf } from '../topics';

export interface DeadLetter extends ConsumedRecord {
  originalTopic: string;
  originalPartition: number;
  originalOffset: string;
  consumerGroup: string;
  error: string;
  attempts: number;
  failedAt: string | null;
}

const REPLAY_GROUP_PREFIX = 'safecity.dlq-replay';

function toDeadLetter(topic: string, partition: number, message: KafkaMessage): DeadLetter {
  const headers = headersToStrings(message.headers);
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key?.toString('utf8') ?? null,
    value: message.value ?? Buffer.alloc(0),
    headers,
    originalTopic: headers[DeliveryHeader.OriginalTopic] ?? baseTopicOf(topic),
    originalPartition: Number(headers[DeliveryHeader.OriginalPartition] ?? -1),
    originalOffset: headers[DeliveryHeader.OriginalOffset] ?? '',
    consumerGroup: headers[DeliveryHeader.RetryGroup] ?? '',
    error: headers[DeliveryHeader.Error] ?? '',
    attempts: Number(headers[DeliveryHeader.Attempts] ?? 0),
    failedAt: headers[DeliveryHeader.FailedAt] ?? null,
  };
}

/** A replayed dead letter re-enters through the retry topic, addressed to the group that failed. */
export function replayRecordOf(letter: DeadLetter): BusRecord {
  const headers = { ...letter.headers };
  delete headers[DeliveryHeader.Error];
  delete headers[DeliveryHeader.FailedAt];
  return {
    topic: retryTopicOf(letter.originalTopic),
    key: letter.key,
    value: letter.value,
    headers: {
      ...headers,
      [DeliveryHeader.Attempts]: '0',
      [DeliveryHeader.NotBefore]: '0',
      [DeliveryHeader.ReplayedAt]: new Date().toISOString(),
    },
  };
}

/**
 * Lists and replays the dead letters of a topic. Listing reads the DLQ from the start up to its
 * current end without committing anything; replaying remembers (as a consumer group of its own)
 * which dead letters were already replayed, so running it twice does not replay twice.
 */
export class DeadLetterAdmin {
  private readonly kafka: Kafka;

  constructor(connection: KafkaConnection) {
    this.kafka = new Kafka(kafkaClientConfig(connection));
  }

  async list(dlqTopic: string, options: { limit?: number; timeoutMs?: number } = {}): Promise<DeadLetter[]> {
    this.assertDlq(dlqTopic);
    const letters: DeadLetter[] = [];
    await this.readToEnd(
      dlqTopic,
      `${REPLAY_GROUP_PREFIX}.list.${process.pid}.${Date.now()}`,
      'earliest',
      options.timeoutMs,
      (l) => {
        if (letters.length < (options.limit ?? 1_000)) letters.push(l);
      },
    );
    return letters;
  }

  /**
   * Replays the dead letters not replayed before (optionally only those `select` accepts); returns
   * the ones replayed.
   */
  async replay(
    dlqTopic: string,
    options: { select?: (letter: DeadLetter) => boolean; timeoutMs?: number } = {},
  ): Promise<DeadLetter[]> {
    this.assertDlq(dlqTopic);
    const chosen: DeadLetter[] = [];
    const producer = this.kafka.producer(acknowledgedProducerConfig());
    await producer.connect();
    try {
      await this.readToEnd(
        dlqTopic,
        `${REPLAY_GROUP_PREFIX}.${dlqTopic}`,
        'committed',
        options.timeoutMs,
        async (letter) => {
          if (options.select && !options.select(letter)) return;
          const record = replayRecordOf(letter);
          await sendAcknowledged(producer, {
            topicMessages: [
              {
                topic: record.topic,
                messages: [{ key: record.key, value: record.value, headers: record.headers }],
              },
            ],
          });
          chosen.push(letter);
        },
      );
    } finally {
      await producer.disconnect();
    }
    return chosen;
  }

  private assertDlq(topic: string) {
    if (!isDlqTopic(topic)) throw new Error(`${topic} is not a dead-letter topic (<topic>.dlq)`);
  }

  private async endOffsets(admin: Admin, topic: string): Promise<Map<number, bigint>> {
    const offsets = await admin.fetchTopicOffsets(topic);
    return new Map(offsets.map((o) => [o.partition, BigInt(o.high)]));
  }

  /** Reads `topic` up to the end offsets seen at the start; commits only in 'committed' mode. */
  private async readToEnd(
    topic: string,
    groupId: string,
    from: 'earliest' | 'committed',
    timeoutMs = 30_000,
    onLetter: (letter: DeadLetter) => void | Promise<void>,
  ): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    let ends: Map<number, bigint>;
    let starts = new Map<number, bigint>();
    try {
      ends = await this.endOffsets(admin, topic);
      if (from === 'committed') {
        const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
        for (const p of committed?.partitions ?? [])
          if (p.offset !== '-1') starts.set(p.partition, BigInt(p.offset));
      } else {
        starts = new Map((await admin.fetchTopicOffsets(topic)).map((o) => [o.partition, BigInt(o.low)]));
      }
    } finally {
      await admin.disconnect();
    }
    const remaining = new Set([...ends].filter(([p, end]) => (starts.get(p) ?? 0n) < end).map(([p]) => p));
    if (remaining.size === 0) return;

    const consumer = this.kafka.consumer({ groupId, allowAutoTopicCreation: false });
    await consumer.connect();
    try {
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`reading ${topic} took longer than ${timeoutMs} ms`)),
          timeoutMs,
        );
        consumer
          .run({
            autoCommit: from === 'committed',
            eachMessage: async ({ partition, message }) => {
              const end = ends.get(partition) ?? 0n;
              if (BigInt(message.offset) >= end) return;
              await onLetter(toDeadLetter(topic, partition, message));
              if (BigInt(message.offset) + 1n >= end) remaining.delete(partition);
              if (remaining.size === 0) {
                clearTimeout(timer);
                resolve();
              }
            },
          })
          .catch(reject);
      });
    } finally {
      await consumer.disconnect();
    }
  }
}
