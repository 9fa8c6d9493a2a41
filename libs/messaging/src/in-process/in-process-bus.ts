import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { BusRecord, ConsumedRecord } from '../envelope';

export type PartitionHandler = (record: ConsumedRecord) => Promise<void>;

interface Partition {
  records: ConsumedRecord[];
}

interface Member {
  id: number;
  topics: Set<string>;
  handler: PartitionHandler;
}

interface Group {
  members: Member[];
  /** Committed offset (next to read) per `topic/partition`. */
  committed: Map<string, number>;
  /** Partitions currently being drained, so each is consumed by one loop at a time. */
  running: Set<string>;
}

/** FNV-1a: a stable, cheap hash so one key always lands on one partition. */
function partitionOf(key: string | null, partitions: number, roundRobin: () => number): number {
  if (key === null) return roundRobin() % partitions;
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % partitions;
}

/**
 * An in-memory bus with Kafka's semantics where the platform relies on them: topics split into
 * partitions by key, order kept within a partition, one delivery per consumer group spread across
 * the group's members, partitions of a group drained concurrently, and committed offsets so a
 * member that leaves and comes back resumes where its group stopped. Records are kept in memory
 * only: it serves the single-process embedded default and fast unit tests, never the Kafka suites.
 */
export class InProcessBus {
  private readonly topics = new Map<string, Partition[]>();
  private readonly groups = new Map<string, Group>();
  private nextMemberId = 1;
  private counter = 0;
  private closed = false;
  private readonly idleWaiters = new Set<() => void>();

  constructor(private readonly partitionsPerTopic = 3) {}

  publish(records: BusRecord[]): void {
    if (this.closed) throw new Error('in-process bus is closed');
    const touched = new Set<string>();
    for (const record of records) {
      const partitions = this.topicPartitions(record.topic);
      const p = partitionOf(record.key, partitions.length, () => this.counter++);
      const partition = partitions[p];
      partition.records.push({ ...record, partition: p, offset: String(partition.records.length) });
      touched.add(record.topic);
    }
    for (const topic of touched) this.kick(topic);
  }

  /** Joins `groupId`; returns a function that leaves the group. */
  subscribe(groupId: string, topics: string[], handler: PartitionHandler): () => void {
    const group: Group = this.groups.get(groupId) ?? {
      members: [],
      committed: new Map(),
      running: new Set(),
    };
    this.groups.set(groupId, group);
    const member: Member = { id: this.nextMemberId++, topics: new Set(topics), handler };
    group.members.push(member);
    for (const topic of topics) {
      this.topicPartitions(topic);
      this.kick(topic);
    }
    return () => {
      group.members = group.members.filter((m) => m !== member);
      for (const topic of topics) this.kick(topic);
    };
  }

  /** Records of a topic, e.g. a dead-letter topic, for inspection and replay. */
  read(topic: string): ConsumedRecord[] {
    return (this.topics.get(topic) ?? []).flatMap((p) => p.records);
  }

  topicNames(): string[] {
    return [...this.topics.keys()];
  }

  /** Messages not yet consumed by a group on a topic. */
  lag(groupId: string, topic: string): number {
    const group = this.groups.get(groupId);
    return (this.topics.get(topic) ?? []).reduce(
      (sum, partition, p) => sum + partition.records.length - (group?.committed.get(`${topic}/${p}`) ?? 0),
      0,
    );
  }

  /** Resolves when no partition of any group is being drained (bounded by `timeoutMs`). */
  async whenIdle(timeoutMs = 5_000): Promise<boolean> {
    const busy = () => [...this.groups.values()].some((g) => g.running.size > 0);
    if (!busy()) return true;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.idleWaiters.delete(done);
        resolve(false);
      }, timeoutMs);
      const done = () => {
        if (busy()) return;
        clearTimeout(timer);
        this.idleWaiters.delete(done);
        resolve(true);
      };
      this.idleWaiters.add(done);
    });
  }

  close(): void {
    this.closed = true;
  }

  private topicPartitions(topic: string): Partition[] {
    let partitions = this.topics.get(topic);
    if (!partitions) {
      partitions = Array.from({ length: this.partitionsPerTopic }, () => ({ records: [] }));
      this.topics.set(topic, partitions);
    }
    return partitions;
  }

  private kick(topic: string) {
    const partitions = this.topics.get(topic);
    if (!partitions) return;
    for (const group of this.groups.values()) {
      const members = group.members.filter((m) => m.topics.has(topic));
      if (members.length === 0) continue;
      partitions.forEach((_, p) => {
        // Partitions are spread over the group's members the way a range assignor would.
        const member = members[p % members.length];
        void this.drain(group, topic, p, member);
      });
    }
  }

  private async drain(group: Group, topic: string, p: number, member: Member) {
    const slot = `${topic}/${p}`;
    if (group.running.has(slot)) return;
    group.running.add(slot);
    try {
      const partition = this.topics.get(topic)![p];
      while (!this.closed && group.members.includes(member)) {
        const offset = group.committed.get(slot) ?? 0;
        if (offset >= partition.records.length) break;
        try {
          await member.handler(partition.records[offset]);
          group.committed.set(slot, offset + 1);
        } catch {
          // The handler only throws when it could not even park the record on a retry or
          // dead-letter topic; keep the offset and try again shortly, as Kafka would.
          await new Promise((r) => setTimeout(r, 100));
        }
        await yieldToLoop();
      }
    } finally {
      group.running.delete(slot);
      for (const waiter of [...this.idleWaiters]) waiter();
      if (!this.closed && group.members.includes(member)) {
        const partition = this.topics.get(topic)![p];
        if ((group.committed.get(slot) ?? 0) < partition.records.length)
          void this.drain(group, topic, p, member);
      }
    }
  }
}
