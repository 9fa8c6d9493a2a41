import { Logger } from '@nestjs/common';
import type { ServiceCredentials } from '@safecity/security';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Observation } from '../analytics/scene-analytics';
import { Backoff } from '../frames/backoff';
import type { CameraSource } from '../sources/camera-source';
import { canonicalDetection } from './canonical';

export interface DeliveryOptions {
  /** recognition's REST base URL, e.g. http://recognition:3002. */
  recognitionUrl: string;
  /** Detections held while recognition is unreachable; past it the oldest are let go (and counted). */
  maxQueued?: number;
  batchSize?: number;
}

interface Queued {
  videoSystemId: string;
  regionCode: string;
  detection: Record<string, unknown>;
}

export interface DeliveryCounts {
  delivered: number;
  refused: number;
  overflowed: number;
}

/**
 * Hands what the analytics saw to recognition as canonical detections, on behalf of each camera's
 * video system, with this service's token. Face templates live only in this queue (memory) until
 * recognition has them. While recognition is down the queue waits and retries with back-off; a
 * batch recognition refuses (4xx) is not retried. The queue is bounded, so a long outage costs the
 * oldest detections rather than the process.
 */
export class DetectionDelivery {
  private readonly log = new Logger('DetectionDelivery');
  private queue: Queued[] = [];
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private readonly stopped = new AbortController();
  readonly counts: DeliveryCounts = { delivered: 0, refused: 0, overflowed: 0 };

  constructor(
    private readonly credentials: ServiceCredentials,
    private readonly options: DeliveryOptions,
  ) {}

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.stopped.abort();
    this.wake?.();
    await this.loop;
  }

  get queued(): number {
    return this.queue.length;
  }

  enqueue(source: CameraSource, observations: Observation[]): void {
    if (observations.length === 0) return;
    for (const o of observations) {
      this.queue.push({
        videoSystemId: source.videoSystemId,
        regionCode: source.regionCode,
        detection: canonicalDetection(source, o),
      });
    }
    const max = this.options.maxQueued ?? 10_000;
    if (this.queue.length > max) {
      this.counts.overflowed += this.queue.length - max;
      this.queue = this.queue.slice(this.queue.length - max);
    }
    this.wake?.();
  }

  private async run(): Promise<void> {
    const backoff = new Backoff(500, 30_000);
    while (this.running) {
      if (this.queue.length === 0) {
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = null;
        continue;
      }
      const first = this.queue[0];
      const batch = this.queue
        .filter((q) => q.videoSystemId === first.videoSystemId && q.regionCode === first.regionCode)
        .slice(0, this.options.batchSize ?? 200);
      try {
        const status = await this.post(first.videoSystemId, first.regionCode, batch);
        const sent = new Set(batch);
        this.queue = this.queue.filter((q) => !sent.has(q));
        backoff.reset();
        if (status < 300) this.counts.delivered += batch.length;
        else {
          this.counts.refused += batch.length;
          this.log.warn(`recognition refused ${batch.length} detections (${status}); they are not retried`);
        }
      } catch (error) {
        this.log.warn(`recognition unreachable, retrying: ${(error as Error).message}`);
        await sleep(backoff.next(), undefined, { signal: this.stopped.signal }).catch(() => undefined);
      }
    }
  }

  /** The status for answers that end the batch (2xx, 4xx); throws for those worth retrying. */
  private async post(videoSystemId: string, regionCode: string, batch: Queued[]): Promise<number> {
    const metadata = await this.credentials.asService();
    const authorization = String(metadata.get('authorization')[0]);
    const response = await fetch(new URL('/ingest/v1/platform-analytics', this.options.recognitionUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization },
      body: JSON.stringify({ videoSystemId, regionCode, detections: batch.map((b) => b.detection) }),
      signal: AbortSignal.timeout(10_000),
    });
    await response.arrayBuffer().catch(() => undefined);
    if (response.status >= 500 || response.status === 408 || response.status === 429) {
      throw new Error(`recognition answered ${response.status}`);
    }
    return response.status;
  }
}
