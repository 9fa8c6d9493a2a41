import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { connect, type MqttClient } from 'mqtt';
import { IngestPayloadError } from '../ingest-problems';
import type { Principal } from '@safecity/security';
import type { DetectionCandidate } from '../candidate';
import { DetectionIngestService, isIngestOutage } from '../pipeline/detection-ingest.service';
import { IngestDetectionsUseCase } from '../use-cases/ingest-detections/ingest-detections.use-case';
import { INGEST_BODY_LIMITS } from '../body-limits';
import { parseFrigateEvent } from './frigate.parser';

/** A Frigate installation's MQTT broker, and the video system its events belong to. */
export interface FrigateMqttSource {
  /** e.g. `mqtt://frigate.akimat.example:1883`. */
  url: string;
  /** Default `frigate/events`. */
  topic?: string;
  videoSystemId: string;
  regionCode: string;
  username?: string;
  password?: string;
}

export const FRIGATE_MQTT_SOURCES = Symbol('FRIGATE_MQTT_SOURCES');

const MAX_QUEUED = 10_000;
/** Bytes of messages waiting at most, per broker: the queue's memory, whatever the messages' sizes. */
const MAX_QUEUED_BYTES = 64 * 1024 * 1024;
const BATCH = 500;
const MAX_ATTEMPTS = 5;

interface Subscription {
  source: FrigateMqttSource;
  client: MqttClient;
  queue: Buffer[];
  queuedBytes: number;
  draining?: Promise<void>;
}

/**
 * Subscribes to the `frigate/events` topic of each configured broker and feeds the messages,
 * in arrival order and in batches, through the same pipeline as the HTTP adapter. The platform
 * authenticates to the broker; which video system a broker speaks for is platform configuration.
 * Unreadable messages are counted as rejected and logged; a batch that fails (camera-registry
 * unreachable) is retried with backoff, in order.
 */
@Injectable()
export class FrigateMqttSubscriber implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('FrigateMqtt');
  private readonly subscriptions: Subscription[] = [];
  private stopped = false;

  constructor(
    private readonly pipeline: DetectionIngestService,
    private readonly ingestDetections: IngestDetectionsUseCase,
    @Inject(FRIGATE_MQTT_SOURCES) private readonly sources: FrigateMqttSource[],
  ) {}

  async onApplicationBootstrap() {
    for (const source of this.sources) {
      const client = connect(source.url, {
        username: source.username,
        password: source.password,
        reconnectPeriod: 2_000,
        connectTimeout: 10_000,
        clean: true,
      });
      const subscription: Subscription = { source, client, queue: [], queuedBytes: 0 };
      this.subscriptions.push(subscription);
      client.on('connect', () => {
        client.subscribe(source.topic ?? 'frigate/events', { qos: 1 }, (error) => {
          if (error) this.logger.error(`cannot subscribe to ${source.url}: ${error.message}`);
        });
      });
      client.on('error', (error) => this.logger.warn(`MQTT ${source.url}: ${error.message}`));
      client.on('message', (_topic, payload) => this.enqueue(subscription, payload));
    }
  }

  async onApplicationShutdown() {
    this.stopped = true;
    await Promise.all(this.subscriptions.map((s) => s.draining?.catch(() => undefined)));
    await Promise.all(this.subscriptions.map((s) => s.client.endAsync()));
  }

  /** Whether every subscription is connected (tests and readiness). */
  get connected(): boolean {
    return this.subscriptions.every((s) => s.client.connected);
  }

  private enqueue(subscription: Subscription, payload: Buffer) {
    // Larger than any Frigate event: refused before it waits in memory.
    if (payload.length > INGEST_BODY_LIMITS.frigate) {
      this.pipeline.countRejected('frigate', subscription.source.regionCode);
      this.logger.warn(
        `a Frigate message of ${payload.length} bytes from ${subscription.source.url} was refused`,
      );
      return;
    }
    if (
      subscription.queue.length >= MAX_QUEUED ||
      subscription.queuedBytes + payload.length > MAX_QUEUED_BYTES
    ) {
      this.pipeline.countRejected('frigate', subscription.source.regionCode);
      this.logger.warn(`Frigate queue of ${subscription.source.url} is full; a message was refused`);
      return;
    }
    subscription.queue.push(payload);
    subscription.queuedBytes += payload.length;
    this.kick(subscription);
  }

  private kick(subscription: Subscription) {
    if (subscription.draining || this.stopped) return;
    subscription.draining = this.drain(subscription)
      .catch((error: unknown) => this.logger.error(`Frigate drain failed: ${String(error)}`))
      .finally(() => {
        subscription.draining = undefined;
        // A message that arrived as the loop ended.
        if (subscription.queue.length) this.kick(subscription);
      });
  }

  private async drain(subscription: Subscription) {
    const { videoSystemId, regionCode } = subscription.source;
    // Which video system a broker speaks for is platform configuration: it is the caller.
    const actor: Principal = {
      kind: 'video-system',
      subject: videoSystemId,
      roles: [],
      regions: [regionCode],
    };
    while (subscription.queue.length && !this.stopped) {
      const messages = subscription.queue.splice(0, BATCH);
      for (const message of messages) subscription.queuedBytes -= message.length;
      const candidates: DetectionCandidate[] = [];
      for (const message of messages) {
        try {
          candidates.push(...parseFrigateEvent(message).candidates);
        } catch (error) {
          if (!(error instanceof IngestPayloadError)) throw error;
          this.pipeline.countRejected('frigate', regionCode);
          this.logger.warn(`unreadable Frigate message from ${subscription.source.url}: ${error.message}`);
        }
      }
      // An outage is waited out for as long as it lasts (new messages meanwhile fill the bounded
      // queue, then are refused and counted); other failures are retried a few times.
      for (let attempt = 1; candidates.length; attempt++) {
        try {
          await this.ingestDetections.execute({ actor, adapter: 'frigate', candidates });
          break;
        } catch (error) {
          if (this.stopped || (attempt >= MAX_ATTEMPTS && !isIngestOutage(error))) {
            this.logger.error(
              `Frigate batch of ${candidates.length} lost after ${attempt} attempts: ${String(error)}`,
            );
            break;
          }
          await new Promise((resolve) => setTimeout(resolve, Math.min(200 * 2 ** attempt, 10_000)));
        }
      }
    }
  }
}
