import { randomUUID } from 'node:crypto';
import { eventDefinition, type EventPayloads } from '@safecity/contracts';
import { cloudEventHeaders } from '@safecity/messaging';
import type { Consumer, Kafka, KafkaMessage, Message } from 'kafkajs';

/**
 * Commits a fresh consumer group's offsets at the end of its topics (and their retry topics), so a
 * service started with it on a broker shared with other runs handles only what is produced next.
 */
export async function positionGroupAtEnd(kafka: Kafka, groupId: string, topics: string[]): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const all = topics.flatMap((t) => [t, `${t}.retry`]);
    await admin.createTopics({
      topics: all.map((topic) => ({ topic, numPartitions: 3 })),
      waitForLeaders: true,
    });
    for (const topic of all) {
      const offsets = await withRetries(() => admin.fetchTopicOffsets(topic));
      await admin.setOffsets({
        groupId,
        topic,
        partitions: offsets.map((o) => ({ partition: o.partition, offset: o.high })),
      });
    }
  } finally {
    await admin.disconnect();
  }
}

/**
 * A test-side watcher of `topic` in a group of its own, committed at the topic's end before it
 * subscribes, so it sees only what is produced from now on (not the history other runs left on a
 * shared topic), and returned only once it has joined its group and been given the partitions.
 */
export async function watchFromNow(
  kafka: Kafka,
  topic: string,
  onMessage: (message: KafkaMessage) => void,
  joinTimeoutMs = 30_000,
): Promise<Consumer> {
  const groupId = `incidents-test-watcher-${randomUUID()}`;
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await withRetries(() => admin.fetchTopicOffsets(topic));
    await admin.setOffsets({
      groupId,
      topic,
      partitions: offsets.map((o) => ({ partition: o.partition, offset: o.high })),
    });
  } finally {
    await admin.disconnect();
  }
  const consumer = kafka.consumer({ groupId, sessionTimeout: 10_000 });
  let timer: NodeJS.Timeout | undefined;
  try {
    const joined = new Promise<void>((resolve, reject) => {
      timer = setTimeout(
        () => reject(new Error(`watcher of ${topic} did not join within ${joinTimeoutMs} ms`)),
        joinTimeoutMs,
      );
      consumer.on(consumer.events.GROUP_JOIN, () => resolve());
    });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: false });
    await consumer.run({ eachMessage: async ({ message }) => onMessage(message) });
    await joined;
    return consumer;
  } catch (error) {
    await consumer.disconnect().catch(() => undefined);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/** A Kafka record of an event as its producer would write it: CloudEvents headers, protobuf value. */
export function eventMessage<K extends keyof EventPayloads>(
  type: K,
  key: string,
  message: EventPayloads[K],
  id: string = randomUUID(),
  region?: string,
): { topic: string; message: Message } {
  const definition = eventDefinition(type);
  return {
    topic: definition.topic,
    message: {
      key,
      value: Buffer.from(definition.codec.encode(message as never)),
      headers: cloudEventHeaders(
        { id, topic: definition.topic, key, type, payload: new Uint8Array(), region },
        '/safecity/recognition',
      ),
    },
  };
}

/** A freshly created topic may take a moment to get its leaders known; bounded retries. */
async function withRetries<T>(work: () => Promise<T>, attempts = 40, delayMs = 250): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= attempts) throw error;
      await new Promise((r) => setTimeout(r, delayMs));
    }
  }
}
