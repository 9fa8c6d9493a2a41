import { randomUUID } from 'node:crypto';
import { eventDefinition, type EventPayloads } from '@safecity/contracts';
import { cloudEventHeaders } from '@safecity/messaging';
import type { Consumer, Kafka, KafkaMessage, Message, TopicPartitionOffset } from 'kafkajs';

/**
 * Commits a fresh consumer group's offsets at the end of its topics (and their retry topics), so a
 * service started with it on a broker shared with other runs handles only what is produced next.
 * One short-lived member joins the group once and commits every partition (the admin client's
 * `setOffsets` would join once per topic, seconds each).
 */
export async function positionGroupAtEnd(kafka: Kafka, groupId: string, topics: string[]): Promise<void> {
  const all = topics.flatMap((t) => [t, `${t}.retry`]);
  const admin = kafka.admin();
  await admin.connect();
  const ends: TopicPartitionOffset[] = [];
  try {
    await admin.createTopics({
      topics: all.map((topic) => ({ topic, numPartitions: 3 })),
      waitForLeaders: true,
    });
    for (const topic of all) {
      const offsets = await withRetries(() => admin.fetchTopicOffsets(topic));
      ends.push(...offsets.map((o) => ({ topic, partition: o.partition, offset: o.high })));
    }
  } finally {
    await admin.disconnect();
  }
  const member = kafka.consumer({ groupId, sessionTimeout: 10_000 });
  try {
    const joined = joinedWithin(member, `group ${groupId}`);
    await member.connect();
    await member.subscribe({ topics: all, fromBeginning: false });
    await member.run({ autoCommit: false, eachBatchAutoResolve: false, eachBatch: async () => undefined });
    await joined;
    await member.commitOffsets(ends);
  } finally {
    await member.disconnect();
  }
}

/** Resolves once `consumer` has joined its group; rejects after `timeoutMs`. */
function joinedWithin(consumer: Consumer, what: string, timeoutMs = 30_000): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} not joined within ${timeoutMs} ms`)), timeoutMs);
    consumer.on(consumer.events.GROUP_JOIN, () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * A test-side watcher of `topic` in a group of its own, reading from the topic's end as it was
 * when called: it sees everything produced from then on and none of the history other runs left
 * on a shared topic. Returned only once it has joined its group and holds the partitions.
 */
export async function watchFromNow(
  kafka: Kafka,
  topic: string,
  onMessage: (message: KafkaMessage) => void,
): Promise<Consumer> {
  const admin = kafka.admin();
  await admin.connect();
  let ends: { partition: number; high: string }[];
  try {
    ends = await withRetries(() => admin.fetchTopicOffsets(topic));
  } finally {
    await admin.disconnect();
  }
  const consumer = kafka.consumer({
    groupId: `incidents-test-watcher-${randomUUID()}`,
    sessionTimeout: 10_000,
  });
  try {
    const joined = joinedWithin(consumer, `watcher of ${topic}`);
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: false });
    await consumer.run({ eachMessage: async ({ message }) => onMessage(message) });
    await joined;
    // Whatever the group's reset policy resolved, it reads from the ends taken before it joined:
    // everything produced after this returns is seen.
    for (const end of ends) consumer.seek({ topic, partition: end.partition, offset: end.high });
    return consumer;
  } catch (error) {
    await consumer.disconnect().catch(() => undefined);
    throw error;
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
