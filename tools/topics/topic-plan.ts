import { ALL_TOPICS, dlqTopic, retryTopic, TOPIC_SETTINGS } from '@safecity/contracts';
import { ConfigResourceTypes, ConfigSource, type Admin } from 'kafkajs';

/** What a platform topic is for: an event stream, or the retry or dead-letter topic of one. */
export type TopicRole = 'events' | 'retry' | 'dlq';

/** A topic of the platform as the contract defines it, before a deployment sizes it. */
export interface ContractTopic {
  name: string;
  role: TopicRole;
  /** The event stream a retry or dead-letter topic belongs to (itself for an event stream). */
  stream: string;
  /** Broker settings the contract requires whatever the deployment (e.g. compaction). */
  config: Record<string, string>;
}

/** One topic as a deployment wants it on its cluster. */
export interface PlannedTopic {
  name: string;
  partitions: number;
  replicationFactor: number;
  /** The topic's settings; any other topic-level setting on the cluster is taken back to the broker's default. */
  config: Record<string, string>;
}

export interface TopicPlan {
  topics: PlannedTopic[];
}

/**
 * Every topic the platform uses, from `libs/contracts`: each event stream with the settings the
 * contract requires, its `.retry` and its `.dlq`. Retry and dead-letter topics are never
 * compacted, even for a compacted stream: two failed records with the same key must both survive.
 */
export function contractTopics(): ContractTopic[] {
  return ALL_TOPICS.flatMap((stream): ContractTopic[] => [
    { name: stream, role: 'events', stream, config: { ...(TOPIC_SETTINGS[stream] ?? {}) } },
    { name: retryTopic(stream), role: 'retry', stream, config: {} },
    { name: dlqTopic(stream), role: 'dlq', stream, config: {} },
  ]);
}

/**
 * The table the Helm chart renders its topics from (deploy/helm/safecity/files/topics.json): the
 * contract's topics, to which a deployment adds partitions, replicas and retention.
 */
export function topicTable(): { note: string; topics: ContractTopic[] } {
  return {
    note: 'Generated from libs/contracts/src/topics.ts by `npm run -s topics -- list`; do not edit. Partitions, replicas and retention are chart values.',
    topics: contractTopics(),
  };
}

/** What a deployment decides for every topic: partitions, replicas and how long dead letters stay. */
export interface TopicSizing {
  partitions: number;
  replicationFactor: number;
  /** Writes need this many replicas in sync (default: one fewer than the replicas, at least 1). */
  minInsyncReplicas?: number;
  /** How long a dead letter stays for someone to look at and replay it (default 14 days). */
  dlqRetentionMs?: number;
}

/** The contract's topics sized for one cluster: a plan `apply` takes as it is. */
export function sizedPlan(sizing: TopicSizing): TopicPlan {
  const minInsync = sizing.minInsyncReplicas ?? Math.max(1, sizing.replicationFactor - 1);
  const dlqRetention = sizing.dlqRetentionMs ?? 14 * 24 * 3600 * 1000;
  return {
    topics: contractTopics().map((topic) => ({
      name: topic.name,
      partitions: sizing.partitions,
      replicationFactor: sizing.replicationFactor,
      config: {
        ...topic.config,
        'min.insync.replicas': String(minInsync),
        ...(topic.role === 'dlq' ? { 'retention.ms': String(dlqRetention) } : {}),
      },
    })),
  };
}

/** Problems that make a plan unfit to apply, each naming the topic; empty when it is fit. */
export function checkPlan(plan: TopicPlan, expected: readonly ContractTopic[] = contractTopics()): string[] {
  const problems: string[] = [];
  const planned = new Map<string, PlannedTopic>();
  for (const topic of plan.topics) {
    if (planned.has(topic.name)) problems.push(`${topic.name}: planned twice`);
    planned.set(topic.name, topic);
    if (!Number.isInteger(topic.partitions) || topic.partitions < 1)
      problems.push(`${topic.name}: partitions must be a positive integer (got ${String(topic.partitions)})`);
    if (!Number.isInteger(topic.replicationFactor) || topic.replicationFactor < 1)
      problems.push(
        `${topic.name}: replicationFactor must be a positive integer (got ${String(topic.replicationFactor)})`,
      );
    for (const [key, value] of Object.entries(topic.config ?? {})) {
      if (typeof value !== 'string') problems.push(`${topic.name}: setting ${key} must be a string`);
    }
  }
  for (const topic of expected) {
    const found = planned.get(topic.name);
    if (!found) {
      problems.push(`${topic.name}: used by the platform but missing from the plan`);
      continue;
    }
    for (const [key, value] of Object.entries(topic.config)) {
      if (found.config?.[key] !== value)
        problems.push(
          `${topic.name}: the contract requires ${key}=${value} (plan: ${found.config?.[key] ?? 'unset'})`,
        );
    }
  }
  return problems;
}

export interface TopicChange {
  topic: string;
  /** `created`, `partitions` (raised), `config` (settings replaced), or `kept` (a difference left as it is). */
  action: 'created' | 'partitions' | 'config' | 'kept';
  detail: string;
}

/**
 * Brings the cluster to the plan: creates missing topics, raises partition counts that are lower
 * than planned, and sets each existing topic's settings to the planned ones. What Kafka cannot
 * change in place — fewer partitions, another replication factor — is left as it is and reported
 * (`kept`): partitions are never removed, since that would move keys to other partitions.
 */
export async function applyTopicPlan(admin: Admin, plan: TopicPlan): Promise<TopicChange[]> {
  const changes: TopicChange[] = [];
  const existing = new Set(await admin.listTopics());
  const missing = plan.topics.filter((t) => !existing.has(t.name));
  const present = plan.topics.filter((t) => existing.has(t.name));

  if (missing.length) {
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((t) => ({
        topic: t.name,
        numPartitions: t.partitions,
        replicationFactor: t.replicationFactor,
        configEntries: Object.entries(t.config).map(([name, value]) => ({ name, value })),
      })),
    });
    for (const t of missing) {
      changes.push({
        topic: t.name,
        action: 'created',
        detail: `${t.partitions} partitions × ${t.replicationFactor} replicas${describeConfig(t.config)}`,
      });
    }
  }
  if (!present.length) return changes;

  const { topics: metadata } = await admin.fetchTopicMetadata({ topics: present.map((t) => t.name) });
  const layout = new Map(
    metadata.map((m) => [
      m.name,
      {
        partitions: m.partitions.length,
        replicas: Math.max(0, ...m.partitions.map((p) => p.replicas.length)),
      },
    ]),
  );
  const raise: { topic: string; count: number }[] = [];
  for (const t of present) {
    const now = layout.get(t.name);
    if (!now) continue;
    if (now.partitions < t.partitions) {
      raise.push({ topic: t.name, count: t.partitions });
      changes.push({ topic: t.name, action: 'partitions', detail: `${now.partitions} → ${t.partitions}` });
    } else if (now.partitions > t.partitions) {
      changes.push({
        topic: t.name,
        action: 'kept',
        detail: `${now.partitions} partitions, more than the ${t.partitions} planned (Kafka cannot remove partitions)`,
      });
    }
    if (now.replicas !== t.replicationFactor) {
      changes.push({
        topic: t.name,
        action: 'kept',
        detail: `${now.replicas} replicas, not the ${t.replicationFactor} planned (reassign the partitions to change it)`,
      });
    }
  }
  if (raise.length) await admin.createPartitions({ topicPartitions: raise });
  // Read back until the settings hold: once, on a KRaft broker just after new partitions, three
  // topics' settings were found unchanged by the next run; the Job ends when the cluster agrees.
  changes.push(...(await applySettings(admin, present)));
  return changes;
}

const SETTINGS_ATTEMPTS = 5;

/**
 * Sets each topic's settings to the planned ones and reads them back until they are (a few
 * attempts a second apart): the Job that runs this is done only when the cluster says so.
 */
async function applySettings(admin: Admin, topics: PlannedTopic[]): Promise<TopicChange[]> {
  const changes: TopicChange[] = [];
  let differing: PlannedTopic[] = [];
  for (let attempt = 1; attempt <= SETTINGS_ATTEMPTS; attempt++) {
    const current = await topicSettings(
      admin,
      topics.map((t) => t.name),
    );
    differing = topics.filter((t) => !sameSettings(current.get(t.name) ?? {}, t.config));
    if (!differing.length) return changes;
    if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, 1_000));
    // AlterConfigs replaces a topic's whole set of settings, so each changed topic gets all of its
    // planned ones; a setting set on the cluster by hand and absent from the plan goes back to the
    // broker's default, as the plan is the topic's whole configuration.
    await admin.alterConfigs({
      validateOnly: false,
      resources: differing.map((t) => ({
        type: ConfigResourceTypes.TOPIC,
        name: t.name,
        configEntries: Object.entries(t.config).map(([name, value]) => ({ name, value })),
      })),
    });
    for (const t of differing) {
      if (changes.some((c) => c.topic === t.name)) continue;
      changes.push({
        topic: t.name,
        action: 'config',
        detail: `${describeSettings(current.get(t.name) ?? {})} → ${describeSettings(t.config)}`,
      });
    }
  }
  const current = await topicSettings(
    admin,
    differing.map((t) => t.name),
  );
  const left = differing.filter((t) => !sameSettings(current.get(t.name) ?? {}, t.config));
  if (left.length) {
    throw new Error(
      `settings of ${left.map((t) => t.name).join(', ')} are not the planned ones after ${SETTINGS_ATTEMPTS} attempts`,
    );
  }
  return changes;
}

/** The settings set on each topic itself (not the broker's defaults). */
async function topicSettings(admin: Admin, names: string[]): Promise<Map<string, Record<string, string>>> {
  if (!names.length) return new Map();
  const described = await admin.describeConfigs({
    includeSynonyms: false,
    resources: names.map((name) => ({ type: ConfigResourceTypes.TOPIC, name })),
  });
  return new Map(
    described.resources.map((r) => [
      r.resourceName,
      Object.fromEntries(
        r.configEntries
          .filter((e) => e.configSource === ConfigSource.TOPIC_CONFIG)
          .map((e) => [e.configName, e.configValue]),
      ),
    ]),
  );
}

function sameSettings(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((k) => a[k] === b[k]);
}

function describeSettings(config: Record<string, string>): string {
  const entries = Object.entries(config).sort(([a], [b]) => a.localeCompare(b));
  return entries.length ? entries.map(([k, v]) => `${k}=${v}`).join(', ') : 'broker defaults';
}

function describeConfig(config: Record<string, string>): string {
  return Object.keys(config).length ? `, ${describeSettings(config)}` : '';
}
