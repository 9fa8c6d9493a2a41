import { Logger } from '@nestjs/common';
import { cameras } from '@safecity/contracts';
import { kafkaClientConfig, type KafkaConnection } from '@safecity/messaging';
import { Kafka, type Consumer } from 'kafkajs';
import { fromMessage, type CameraSource } from '../sources/camera-source';
import type { WatchedSources } from './watched-sources';

export interface PartitionedSourcesOptions {
  connection: KafkaConnection;
  topic: string;
  /** The membership group: every instance of the service joins it. */
  groupId: string;
  /** A killed instance's cameras move after this long. */
  sessionTimeoutMs: number;
}

/**
 * Cameras spread over the service's instances the way partitions are: every instance joins one
 * consumer group on the compacted media topic (key = camera id) and watches the cameras of the
 * partitions it is given. It reads those partitions whole each time they are assigned (it never
 * commits an offset), so the latest record per camera is the camera's source. Adding an instance
 * or losing one (even to kill -9, after the session timeout) rebalances the group, and the
 * cameras move with their partitions: Kafka's group coordinator is the only coordinator.
 */
export class PartitionedSources implements WatchedSources {
  private readonly log = new Logger('PartitionedSources');
  private consumer: Consumer | null = null;
  private owned = new Set<number>();
  private readonly latest = new Map<
    string,
    { partition: number; version: number; source: CameraSource | null }
  >();
  private readonly listeners: (() => void)[] = [];
  private notifyTimer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(private readonly options: PartitionedSourcesOptions) {}

  /** Joins the group in the background: the service serves its health and status while Kafka is away. */
  async start(): Promise<void> {
    void this.join();
  }

  private async join(): Promise<void> {
    for (let attempt = 0; !this.stopped; attempt++) {
      try {
        await this.connect();
        return;
      } catch (error) {
        await this.consumer?.disconnect().catch(() => undefined);
        this.consumer = null;
        this.log.warn(`cannot join ${this.options.groupId} yet: ${(error as Error).message}`);
        await new Promise((r) => setTimeout(r, Math.min(30_000, 1_000 * 2 ** Math.min(attempt, 5))));
      }
    }
  }

  private async connect(): Promise<void> {
    const kafka = new Kafka(kafkaClientConfig(this.options.connection));
    const consumer = kafka.consumer({
      groupId: this.options.groupId,
      sessionTimeout: this.options.sessionTimeoutMs,
      heartbeatInterval: Math.max(500, Math.floor(this.options.sessionTimeoutMs / 5)),
      rebalanceTimeout: Math.max(10_000, this.options.sessionTimeoutMs),
      retry: { retries: 10, initialRetryTime: 300, maxRetryTime: 5_000 },
    });
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      const assigned = new Set<number>(payload.memberAssignment[this.options.topic] ?? []);
      this.owned = assigned;
      // Cameras of partitions given away are forgotten; the new owner reads them afresh.
      for (const [cameraId, entry] of this.latest)
        if (!assigned.has(entry.partition)) this.latest.delete(cameraId);
      this.log.log(`watching partitions [${[...assigned].sort().join(', ')}] of ${this.options.topic}`);
      this.notify();
    });
    await consumer.connect();
    await consumer.subscribe({ topic: this.options.topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        if (!message.key || !message.value) return;
        let change: cameras.CameraMediaSourceChanged;
        try {
          change = cameras.CameraMediaSourceChanged.decode(message.value);
        } catch {
          return; // not a media source record: nothing to watch
        }
        const cameraId = change.cameraId || message.key.toString();
        const version = Number(change.version);
        const known = this.latest.get(cameraId);
        if (known && known.version >= version) return;
        this.latest.set(cameraId, {
          partition,
          version,
          source: change.removed || !change.source ? null : fromMessage(change.source),
        });
        this.notify();
      },
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.notifyTimer) clearTimeout(this.notifyTimer);
    await this.consumer?.disconnect().catch(() => undefined);
    this.consumer = null;
  }

  async current(): Promise<CameraSource[]> {
    return [...this.latest.values()].flatMap((e) =>
      e.source && this.owned.has(e.partition) ? [e.source] : [],
    );
  }

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  describe(): string {
    return `partitions ${[...this.owned].sort((a, b) => a - b).join(',') || 'none'} of ${this.options.topic}`;
  }

  /** Records read in a burst (a whole partition on assignment) become one change. */
  private notify() {
    if (this.notifyTimer) return;
    this.notifyTimer = setTimeout(() => {
      this.notifyTimer = null;
      for (const l of this.listeners) l();
    }, 100);
  }
}
