import { randomUUID } from 'node:crypto';
import { EventTypes, IngestionMethod, recognition, Topics } from '@safecity/contracts';
import { cloudEventHeaders, sendAcknowledged } from '@safecity/messaging';
import type { Producer } from 'kafkajs';

/** One detection the driver sent, by the vendor id it was sent with. */
export interface SentDetection {
  vendorEventId: string;
  channel: 'http' | 'raw';
  /** A plate on the soak's hotlist: it must become a match and an incident. */
  hot: boolean;
  plate: string;
  /** First attempt: when the camera saw it, as far as delays are concerned. */
  sentAt: number;
  /** When the platform (HTTP answer) or the broker (acks=all) acknowledged it. */
  ackedAt?: number;
  /** HTTP: the outcome recognition answered (accepted, duplicate, updated, dropped). */
  outcome?: string;
  attempts: number;
}

export interface SoakSystem {
  videoSystemId: string;
  regionCode: string;
  apiKey: string;
  cameras: string[];
}

export interface LoadOptions {
  systems: SoakSystem[];
  /** Recognition instances' base URLs; batches go to them in turn, like behind a load balancer. */
  ingestUrls: () => string[];
  producer: Producer;
  ratePerSecond: number;
  hotFraction: number;
  /** Share of detections written to the raw topic instead of posted over HTTP. */
  rawFraction: number;
  /** Plates on the hotlist, each used once, so that each hot detection is one incident. */
  hotPlates: string[];
  log: (line: string) => void;
}

const TICKS_PER_SECOND = 5;
const RETRY_MIN_MS = 250;
const RETRY_MAX_MS = 2_000;

/**
 * The soak's video systems: canonical detections at a steady rate over HTTP (`POST
 * /ingest/v1/detections` with the system's ingest key) and the raw topic, every one recorded by
 * its vendor id. A batch that is not acknowledged is sent again, unchanged, until it is — as a
 * video system's bridge does — so whatever the platform acknowledged must come out exactly once.
 */
export class SoakLoad {
  readonly sent = new Map<string, SentDetection>();
  /** Failed attempts per channel (refusals, errors, timeouts), by the time they happened. */
  readonly failures: { at: number; channel: 'http' | 'raw'; why: string }[] = [];
  private timer?: NodeJS.Timeout;
  private carry = 0;
  private sequence = 0;
  private nextHot = 0;
  private round = 0;
  private readonly inFlight = new Set<Promise<void>>();
  private stopping = false;
  hotPlatesExhausted = 0;

  constructor(private readonly options: LoadOptions) {}

  start(): void {
    this.timer = setInterval(() => this.tick(), 1000 / TICKS_PER_SECOND);
  }

  /** Stops making detections and waits (bounded) until every batch sent so far is acknowledged. */
  async stop(timeoutMs: number): Promise<number> {
    clearInterval(this.timer);
    const deadline = Date.now() + timeoutMs;
    while (this.inFlight.size > 0 && Date.now() < deadline) {
      await Promise.race([Promise.all(this.inFlight), new Promise((r) => setTimeout(r, 1_000))]);
    }
    this.stopping = true;
    const left = this.inFlight.size;
    await Promise.all(this.inFlight);
    return left;
  }

  private tick(): void {
    this.carry += this.options.ratePerSecond / TICKS_PER_SECOND;
    const count = Math.floor(this.carry);
    this.carry -= count;
    const batches = new Map<
      string,
      { system: SoakSystem; channel: 'http' | 'raw'; items: Record<string, unknown>[] }
    >();
    const now = Date.now();
    for (let i = 0; i < count; i++) {
      const system = this.options.systems[this.sequence % this.options.systems.length]!;
      const camera = system.cameras[Math.floor(Math.random() * system.cameras.length)]!;
      const channel: 'http' | 'raw' = Math.random() < this.options.rawFraction ? 'raw' : 'http';
      let hot = Math.random() < this.options.hotFraction;
      let plate = '';
      if (hot) {
        const next = this.options.hotPlates[this.nextHot];
        if (next) {
          plate = next;
          this.nextHot++;
        } else {
          hot = false;
          this.hotPlatesExhausted++;
        }
      }
      // Cold plates are two characters longer than hot ones and start differently: no fuzzy match.
      if (!hot) plate = `CQ${String(this.sequence).padStart(8, '0')}`;
      const vendorEventId = `soak-${channel}-${hot ? 'hot' : 'cold'}-${++this.sequence}`;
      this.sent.set(vendorEventId, { vendorEventId, channel, hot, plate, sentAt: now, attempts: 0 });
      const key = `${system.videoSystemId}/${channel}`;
      const batch = batches.get(key) ?? { system, channel, items: [] };
      batch.items.push({
        vendorEventId,
        cameraExternalId: camera,
        kind: 'plate',
        observedAt: new Date(now).toISOString(),
        plate: { text: plate, country: 'KZ', confidence: 0.93 },
      });
      batches.set(key, batch);
    }
    for (const batch of batches.values()) {
      const sending = (
        batch.channel === 'http' ? this.postUntilAcknowledged(batch) : this.produceUntilAcknowledged(batch)
      )
        .catch((error: unknown) => this.options.log(`load: ${String(error)}`))
        .finally(() => this.inFlight.delete(sending));
      this.inFlight.add(sending);
    }
  }

  private async postUntilAcknowledged(batch: { system: SoakSystem; items: Record<string, unknown>[] }) {
    const body = JSON.stringify({ detections: batch.items });
    const ids = batch.items.map((d) => d.vendorEventId as string);
    for (let attempt = 0; !this.stopping; attempt++) {
      const urls = this.options.ingestUrls();
      const url = urls[this.round++ % urls.length]!;
      for (const id of ids) this.sent.get(id)!.attempts++;
      let wait = Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** attempt);
      try {
        const response = await fetch(`${url}/ingest/v1/detections`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-api-key': batch.system.apiKey },
          body,
          signal: AbortSignal.timeout(15_000),
        });
        if (response.ok) {
          const summary = (await response.json()) as {
            detections: { vendorEventId: string; outcome: string }[];
          };
          const at = Date.now();
          for (const result of summary.detections) {
            const sent = this.sent.get(result.vendorEventId);
            if (sent) Object.assign(sent, { ackedAt: at, outcome: result.outcome });
          }
          return;
        }
        const retryAfter = Number(response.headers.get('retry-after'));
        if (retryAfter > 0) wait = Math.min(wait, retryAfter * 1000);
        this.failures.push({ at: Date.now(), channel: 'http', why: `${response.status}` });
        await response.arrayBuffer().catch(() => undefined);
      } catch (error) {
        this.failures.push({ at: Date.now(), channel: 'http', why: (error as Error).name });
      }
      await new Promise((r) => setTimeout(r, wait));
    }
  }

  private async produceUntilAcknowledged(batch: { system: SoakSystem; items: Record<string, unknown>[] }) {
    const payload = Buffer.from(JSON.stringify({ detections: batch.items }));
    const value = Buffer.from(
      recognition.RawDetectionReceived.encode({
        raw: {
          videoSystemId: batch.system.videoSystemId,
          vendorEventId: '',
          ingestionMethod: IngestionMethod.INGESTION_METHOD_CANONICAL_PUSH,
          contentType: 'application/json',
          payload,
          receivedAt: new Date(),
          regionCode: batch.system.regionCode,
        },
      }).finish(),
    );
    const headers = cloudEventHeaders(
      {
        id: randomUUID(),
        topic: Topics.DetectionsRaw,
        key: batch.system.videoSystemId,
        type: EventTypes.RawDetectionReceived,
        payload: value,
        region: batch.system.regionCode,
      },
      '/safecity/soak-bridge',
    );
    const ids = batch.items.map((d) => d.vendorEventId as string);
    for (let attempt = 0; !this.stopping; attempt++) {
      for (const id of ids) this.sent.get(id)!.attempts++;
      try {
        await sendAcknowledged(this.options.producer, {
          timeout: 10_000,
          topicMessages: [
            { topic: Topics.DetectionsRaw, messages: [{ key: batch.system.videoSystemId, value, headers }] },
          ],
        });
        const at = Date.now();
        for (const id of ids) Object.assign(this.sent.get(id)!, { ackedAt: at, outcome: 'written' });
        return;
      } catch (error) {
        this.failures.push({ at: Date.now(), channel: 'raw', why: (error as Error).name });
        await new Promise((r) => setTimeout(r, Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** attempt)));
      }
    }
  }
}
