import { describeKafka } from '@safecity/testing';
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, ConfigResourceTypes, ConfigSource, type Admin } from 'kafkajs';
import { applyTopicPlan, type PlannedTopic } from './topic-plan';

describeKafka('applyTopicPlan on a real broker', (brokers) => {
  let admin: Admin;
  const prefix = `plan-${randomUUID().slice(0, 8)}`;
  const events = `${prefix}.events`;
  const compacted = `${prefix}.state`;

  beforeAll(async () => {
    admin = new Kafka({ brokers: brokers().split(','), logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
  });

  afterAll(async () => {
    await admin.deleteTopics({ topics: [events, compacted] }).catch(() => undefined);
    await admin.disconnect();
  });

  async function partitions(topic: string): Promise<number> {
    const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
    return topics[0].partitions.length;
  }

  async function settings(topic: string): Promise<Record<string, string>> {
    const { resources } = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: ConfigResourceTypes.TOPIC, name: topic }],
    });
    return Object.fromEntries(
      resources[0].configEntries
        .filter((e) => e.configSource === ConfigSource.TOPIC_CONFIG)
        .map((e) => [e.configName, e.configValue]),
    );
  }

  const plan = (eventsTopic: Partial<PlannedTopic>): { topics: PlannedTopic[] } => ({
    topics: [
      {
        name: events,
        partitions: 2,
        replicationFactor: 1,
        config: { 'retention.ms': '86400000' },
        ...eventsTopic,
      },
      { name: compacted, partitions: 1, replicationFactor: 1, config: { 'cleanup.policy': 'compact' } },
    ],
  });

  it('creates missing topics, then raises partitions and sets settings, and changes nothing the third time', async () => {
    const created = await applyTopicPlan(admin, plan({}));
    expect(created.map((c) => [c.topic, c.action])).toEqual([
      [events, 'created'],
      [compacted, 'created'],
    ]);
    expect(await partitions(events)).toBe(2);
    expect(await settings(events)).toEqual({ 'retention.ms': '86400000' });
    expect(await settings(compacted)).toEqual({ 'cleanup.policy': 'compact' });

    const grown = await applyTopicPlan(
      admin,
      plan({ partitions: 4, config: { 'retention.ms': '3600000', 'max.message.bytes': '2097152' } }),
    );
    expect(grown.map((c) => [c.topic, c.action])).toEqual([
      [events, 'partitions'],
      [events, 'config'],
    ]);
    expect(await partitions(events)).toBe(4);
    expect(await settings(events)).toEqual({ 'retention.ms': '3600000', 'max.message.bytes': '2097152' });
    // The other topic's settings are untouched by the first one's change.
    expect(await settings(compacted)).toEqual({ 'cleanup.policy': 'compact' });

    const again = await applyTopicPlan(
      admin,
      plan({ partitions: 4, config: { 'retention.ms': '3600000', 'max.message.bytes': '2097152' } }),
    );
    expect(again).toEqual([]);
  });

  it('never removes partitions or changes replicas, and says so', async () => {
    await applyTopicPlan(admin, plan({ partitions: 4 }));
    const shrunk = await applyTopicPlan(admin, plan({ partitions: 2, replicationFactor: 3 }));
    expect(shrunk.filter((c) => c.action === 'kept').map((c) => c.detail)).toEqual([
      '4 partitions, more than the 2 planned (Kafka cannot remove partitions)',
      '1 replicas, not the 3 planned (reassign the partitions to change it)',
    ]);
    expect(await partitions(events)).toBe(4);
  });

  it('takes a setting the plan no longer names back to the broker default', async () => {
    await applyTopicPlan(
      admin,
      plan({ config: { 'retention.ms': '3600000', 'max.message.bytes': '2097152' } }),
    );
    const changes = await applyTopicPlan(admin, plan({ config: { 'retention.ms': '3600000' } }));
    expect(changes.map((c) => c.action)).toContain('config');
    expect(await settings(events)).toEqual({ 'retention.ms': '3600000' });
  });
});
