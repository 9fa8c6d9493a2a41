import { KafkaContext, ServerKafka, type MessageHandler } from '@nestjs/microservices';
import type { EachBatchPayload, ITopicConfig, KafkaMessage } from 'kafkajs';
import { isObservable, lastValueFrom } from 'rxjs';
import type { EventCodecRegistry } from '../codec';
import { EventDispatcher, type DispatchOutcome, type DispatcherLogger } from '../dispatch/event-dispatcher';
import { headersToStrings, type ConsumedEvent, type ConsumedRecord } from '../envelope';
import { consumerGroupOf, dlqTopicOf, retryTopicOf } from '../topics';
import { KafkaEventClient } from './kafka-event.client';
import { kafkaClientConfig, type KafkaConnection } from './kafka-config';

interface KafkaClusterInternals {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  findGroupCoordinator(request: { groupId: string }): Promise<{
    leaveGroup(request: { groupId: string; memberId: string }): Promise<unknown>;
  }>;
}

/** The cluster factory a kafkajs 2.x `Kafka` keeps under a private symbol, if it is there. */
function kafkaClusterFactoryOf(
  client: unknown,
): ((options: Record<string, unknown>) => KafkaClusterInternals) | undefined {
  if (!client || typeof client !== 'object') return undefined;
  const symbol = Object.getOwnPropertySymbols(client).find(
    (s) => s.description === 'private:Kafka:createCluster',
  );
  const factory = symbol ? (client as Record<symbol, unknown>)[symbol] : undefined;
  return typeof factory === 'function'
    ? (factory as (options: Record<string, unknown>) => KafkaClusterInternals)
    : undefined;
}

/** Default group session: the broker's least (`group.min.session.timeout.ms`). */
const DEFAULT_SESSION_TIMEOUT_MS = 6_000;

/**
 * The consumer's reconnecting: quickly and for as long as it takes, never more than a second
 * apart, so that a broker that returns is fetched from again within a few seconds.
 */
const CONSUMER_RETRY = {
  retries: 30,
  initialRetryTime: 200,
  maxRetryTime: 1_000,
  factor: 0.2,
  multiplier: 1.5,
};

/** Upper bound of events handed to a batch handler in one call (one transaction). */
const MAX_EVENTS_PER_CALL = 2_000;

/** A partition's fetched batch waiting to be handled with the others of its fetch. */
interface GatheredBatch {
  payload: EachBatchPayload;
  records: ConsumedRecord[];
  done(error?: unknown): void;
}

export interface KafkaEventServerOptions {
  connection: KafkaConnection;
  /** The service's name; its consumer group is `safecity.<serviceName>`. */
  serviceName: string;
  codecs?: EventCodecRegistry;
  maxAttempts?: number;
  retryDelayMs?: (attempt: number) => number;
  /** Partitions handled at once by one instance (order within a partition is kept). */
  partitionsConsumedConcurrently?: number;
  /** Partitions of topics this server creates when they are missing. */
  defaultPartitions?: number;
  /** Per-topic broker settings for topics created here, e.g. compaction for state topics. */
  topicConfigs?: Record<string, Record<string, string>>;
  sessionTimeoutMs?: number;
  logger?: DispatcherLogger;
  onOutcome?(outcome: DispatchOutcome, topic: string, count?: number): void;
  onOutageRetry?(topic: string): void;
  onOutage?(waiting: boolean): void;
  /** Reports the group's lag per partition every `lagIntervalMs` (default 15 s). */
  onLag?(topic: string, partition: number, lag: number): void;
  lagIntervalMs?: number;
}

/**
 * Consumer side of the Kafka transport. Nest's ServerKafka does the wiring of `@EventPattern`
 * handlers; this adds what the platform needs on top: one group per service, the retry topic
 * subscribed beside each topic, CloudEvents decoding, heartbeats during long handlers, and the
 * retry/dead-letter policy instead of kafkajs re-running a failing message forever.
 */
export class KafkaEventServer extends ServerKafka {
  private dispatcher!: EventDispatcher;
  private lagTimer: NodeJS.Timeout | null = null;
  /** This consumer's id in its group, and the one it had before its last crash. */
  private memberId: string | null = null;
  private staleMemberId: string | null = null;
  private member = false;
  private closing = false;
  private readonly publisher: KafkaEventClient;
  /** Batches for batch handlers, by handler topic, gathered while kafkajs hands out a fetch. */
  private readonly gathering = new Map<string, GatheredBatch[]>();

  constructor(private readonly eventOptions: KafkaEventServerOptions) {
    const group = consumerGroupOf(eventOptions.serviceName);
    const sessionTimeout = eventOptions.sessionTimeoutMs ?? DEFAULT_SESSION_TIMEOUT_MS;
    super({
      client: kafkaClientConfig(eventOptions.connection),
      consumer: {
        groupId: group,
        // A killed instance's partitions move once the broker stops hearing from it: the session
        // timeout (6 s, the broker's least by default) plus the rebalance. kafkajs has neither
        // cooperative rebalancing nor static membership, so a short session is the lever.
        sessionTimeout,
        heartbeatInterval: Math.max(500, Math.floor(sessionTimeout / 6)),
        // How long the coordinator waits for the members to rejoin a rebalance. A member in the
        // middle of a batch rejoins when the batch ends (a member waiting out an outage at its
        // next heartbeat); a member that takes longer drops out rather than stalling the group.
        rebalanceTimeout: Math.max(15_000, 2 * sessionTimeout),
        // A crash (its broker gone for longer than these retries) restarts the consumer on
        // kafkajs' timer, `initialRetryTime` later; see bindEvents for a crash during close.
        retry: CONSUMER_RETRY,
        allowAutoTopicCreation: true,
        // Larger fetches mean fewer, fuller batches for batch handlers (one transaction each).
        maxBytesPerPartition: 4 * 1024 * 1024,
        maxBytes: 16 * 1024 * 1024,
        // An idle fetch waits this long on the broker; shutdown waits for it, so keep it short.
        maxWaitTimeInMs: 1_000,
      },
      postfixId: '',
      subscribe: { fromBeginning: true },
      run: {
        partitionsConsumedConcurrently: eventOptions.partitionsConsumedConcurrently ?? 3,
        autoCommit: true,
        // Committing after every fetched batch costs a broker round trip each time; a crash
        // redelivers at most this much, which the inbox absorbs.
        autoCommitInterval: 500,
      },
    });
    this.publisher = new KafkaEventClient(eventOptions.connection);
  }

  /** Whether the consumer has joined its group and been given its partitions (false again after a crash). */
  get isMember(): boolean {
    return this.member;
  }

  get consumerGroup(): string {
    return consumerGroupOf(this.eventOptions.serviceName);
  }

  override async listen(callback: (error?: unknown) => void) {
    this.dispatcher = new EventDispatcher({
      group: this.consumerGroup,
      codecs: this.eventOptions.codecs,
      maxAttempts: this.eventOptions.maxAttempts,
      retryDelayMs: this.eventOptions.retryDelayMs,
      publish: (records) => this.publisher.publishBatch(records),
      logger: this.eventOptions.logger,
      onOutcome: this.eventOptions.onOutcome,
      onOutageRetry: this.eventOptions.onOutageRetry,
      onOutage: this.eventOptions.onOutage,
    });
    return super.listen(callback);
  }

  override async bindEvents(consumer: Parameters<ServerKafka['bindEvents']>[0]) {
    // kafkajs restarts a consumer that crashed on a retriable error (its broker gone) on a timer
    // it sets after this event; a crash during or after close would restart it for good, a
    // consumer reconnecting forever in a process that should exit. Stopping it once the timer
    // is set clears that timer.
    consumer.on(consumer.events.CRASH, () => {
      this.member = false;
      if (this.closing) queueMicrotask(() => void consumer.stop().catch(() => undefined));
      else this.staleMemberId = this.memberId;
    });
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      this.memberId = payload.memberId;
      this.member = true;
    });
    consumer.on(consumer.events.STOP, () => {
      this.member = false;
    });
    // kafkajs restarts a crashed consumer as a new member; the coordinator would hold the group's
    // next rebalance, and so every partition, until the old member's session expired. The old
    // member is this very consumer: it leaves as soon as the consumer is connected again.
    consumer.on(consumer.events.CONNECT, () => {
      const stale = this.staleMemberId;
      this.staleMemberId = null;
      if (stale) void this.leaveGroupAs(stale);
    });
    const topics = [...this.messageHandlers.keys()];
    await this.ensureTopics(topics);
    await consumer.subscribe({ topics: [...topics, ...topics.map(retryTopicOf)], fromBeginning: true });
    if (this.eventOptions.onLag) {
      const report = this.eventOptions.onLag;
      this.lagTimer = setInterval(
        () => void this.reportLag(topics, report),
        this.eventOptions.lagIntervalMs ?? 15_000,
      );
      this.lagTimer.unref();
    }
    await consumer.run({
      ...(this.options.run ?? {}),
      eachBatchAutoResolve: false,
      eachBatch: (payload) => this.handleBatch(payload as unknown as EachBatchPayload),
    });
  }

  /**
   * Consumes a fetched batch of one partition. Handlers declared with `@EventPattern(topic,
   * { batch: true })` get the whole run of events at once — with `acrossPartitions: true` as well,
   * together with the batches of the other partitions of the same fetch; others get them one at a
   * time. Offsets are resolved as events complete, so a rebalance or a crash redelivers only
   * unfinished ones.
   */
  private async handleBatch(payload: EachBatchPayload): Promise<void> {
    const { batch, heartbeat, resolveOffset, isRunning, isStale, commitOffsetsIfNecessary } = payload;
    const records = batch.messages.map((message) => this.toRecord(batch.topic, batch.partition, message));
    if (records.length === 0) return;
    const topic = EventDispatcher.handlerTopicOf(records[0]);
    const handler = this.getHandlerByPattern(topic);
    if (handler?.extras?.batch && handler.extras.acrossPartitions) {
      return this.gather(topic, payload, records, handler);
    }
    const stillAssigned = () => isRunning() && !isStale();
    if (handler?.extras?.batch) {
      for (let i = 0; i < records.length && stillAssigned(); i += MAX_EVENTS_PER_CALL) {
        const chunk = records.slice(i, i + MAX_EVENTS_PER_CALL);
        const last = batch.messages[i + chunk.length - 1];
        const result = await this.dispatcher.dispatchBatch(
          chunk,
          (events) => this.invoke(handler, events, payload, last),
          heartbeat,
          stillAssigned,
        );
        if (result === 'interrupted') break;
        resolveOffset(last.offset);
        await commitOffsetsIfNecessary();
      }
      return;
    }
    for (let i = 0; i < records.length; i++) {
      if (!stillAssigned()) break;
      const message = batch.messages[i];
      const outcome = await this.dispatcher.dispatch(
        records[i],
        (event) => this.invoke(handler, event, payload, message),
        heartbeat,
        stillAssigned,
      );
      if (outcome === 'interrupted') break;
      resolveOffset(message.offset);
      await heartbeat();
    }
    await commitOffsetsIfNecessary();
  }

  /**
   * kafkajs hands the batches of one fetch to its workers in one go, a partition each, and fetches
   * again only when all are done. Handled apart, each is a transaction of its own, all running at
   * once; for a handler whose transactions wait on each other's locks, that is several commits
   * queued behind one another for what one transaction would do. Gathered until the next turn of
   * the event loop, they are one call of the handler for the whole fetch. Order within a
   * partition is kept: a partition's next batch comes only with a later fetch. Handlers whose
   * transactions are independent and large (recognition's detections) lose by it: their
   * partitions' round trips no longer overlap.
   */
  private gather(
    topic: string,
    payload: EachBatchPayload,
    records: ConsumedRecord[],
    handler: MessageHandler,
  ): Promise<void> {
    return new Promise((resolve, reject) => {
      let gathered = this.gathering.get(topic);
      if (!gathered) {
        gathered = [];
        this.gathering.set(topic, gathered);
        setImmediate(() => void this.handleGathered(topic, handler));
      }
      gathered.push({ payload, records, done: (error) => (error ? reject(error) : resolve()) });
    });
  }

  private async handleGathered(topic: string, handler: MessageHandler): Promise<void> {
    const gathered = this.gathering.get(topic) ?? [];
    this.gathering.delete(topic);
    try {
      const live = gathered.filter(({ payload }) => payload.isRunning() && !payload.isStale());
      const records = live.flatMap((g) => g.records.map((record, index) => ({ record, index, g })));
      const first = live[0]?.payload;
      const stillAssigned = () => live.every(({ payload }) => payload.isRunning() && !payload.isStale());
      for (let i = 0; i < records.length && stillAssigned(); i += MAX_EVENTS_PER_CALL) {
        const chunk = records.slice(i, i + MAX_EVENTS_PER_CALL);
        const last = chunk[chunk.length - 1];
        const message = last.g.payload.batch.messages[last.index];
        const result = await this.dispatcher.dispatchBatch(
          chunk.map((c) => c.record),
          (events) => this.invoke(handler, events, last.g.payload, message),
          first.heartbeat,
          stillAssigned,
        );
        if (result === 'interrupted') break;
        // Each partition's offset moves to its last event in the chunk.
        const lastIndex = new Map<GatheredBatch, number>();
        for (const c of chunk) lastIndex.set(c.g, c.index);
        for (const [g, index] of lastIndex) g.payload.resolveOffset(g.payload.batch.messages[index].offset);
        await first.commitOffsetsIfNecessary();
      }
      for (const g of gathered) g.done();
    } catch (error) {
      for (const g of gathered) g.done(error);
    }
  }

  private async invoke(
    handler: MessageHandler | null,
    data: ConsumedEvent | ConsumedEvent[],
    { batch, heartbeat }: EachBatchPayload,
    message: KafkaMessage,
  ): Promise<void> {
    if (!handler) return;
    const context = new KafkaContext([
      message,
      batch.partition,
      batch.topic,
      this.consumer!,
      heartbeat,
      this.producer!,
    ]);
    const result = await handler(data, context);
    if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
  }

  private toRecord(topic: string, partition: number, message: KafkaMessage): ConsumedRecord {
    return {
      topic,
      partition,
      offset: message.offset,
      key: message.key ? message.key.toString('utf8') : null,
      value: message.value ?? Buffer.alloc(0),
      headers: headersToStrings(message.headers),
    };
  }

  override async close() {
    this.closing = true;
    if (this.lagTimer) clearInterval(this.lagTimer);
    await super.close();
    await this.publisher.close();
  }

  /**
   * Asks the group coordinator to forget `memberId`. kafkajs has no public call for it (its admin
   * lacks LeaveGroup); the client's own cluster object has, as kafkajs 2.2.4 builds it.
   */
  private async leaveGroupAs(memberId: string): Promise<void> {
    const createCluster = kafkaClusterFactoryOf(this.client);
    if (!createCluster) return;
    const cluster = createCluster({});
    try {
      await cluster.connect();
      const coordinator = await cluster.findGroupCoordinator({ groupId: this.consumerGroup });
      await coordinator.leaveGroup({ groupId: this.consumerGroup, memberId });
    } catch {
      // Best effort: without it the old member's session still expires on its own.
    } finally {
      await cluster.disconnect().catch(() => undefined);
    }
  }

  private async reportLag(topics: string[], report: (topic: string, partition: number, lag: number) => void) {
    const admin = this.client?.admin();
    if (!admin) return;
    try {
      await admin.connect();
      const committed = await admin.fetchOffsets({ groupId: this.consumerGroup, topics });
      for (const { topic, partitions } of committed) {
        const ends = new Map(
          (await admin.fetchTopicOffsets(topic)).map((o) => [o.partition, Number(o.high)]),
        );
        for (const p of partitions) {
          const end = ends.get(p.partition) ?? 0;
          const at = Number(p.offset) < 0 ? 0 : Number(p.offset);
          report(topic, p.partition, Math.max(0, end - at));
        }
      }
    } catch {
      // Lag is best effort: an unreachable broker shows up in readiness, not here.
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  private async ensureTopics(topics: string[]) {
    const admin = this.client!.admin();
    await admin.connect();
    try {
      const existing = new Set(await admin.listTopics());
      const wanted: ITopicConfig[] = [];
      for (const topic of topics) {
        for (const name of [topic, retryTopicOf(topic), dlqTopicOf(topic)]) {
          if (existing.has(name)) continue;
          const config = name === topic ? this.eventOptions.topicConfigs?.[topic] : undefined;
          wanted.push({
            topic: name,
            numPartitions: this.eventOptions.defaultPartitions ?? 3,
            configEntries: config
              ? Object.entries(config).map(([name, value]) => ({ name, value }))
              : undefined,
          });
        }
      }
      if (wanted.length) {
        // Another service may create the same topic at the same moment; that is fine.
        await admin.createTopics({ topics: wanted, waitForLeaders: true }).catch((error: Error) => {
          if (!/already exists/i.test(error.message)) throw error;
        });
      }
    } finally {
      await admin.disconnect();
    }
  }
}
