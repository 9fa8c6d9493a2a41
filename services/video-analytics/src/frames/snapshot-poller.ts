import { readImage } from '@safecity/vision';
import { setTimeout as sleep } from 'node:timers/promises';
import { Backoff } from './backoff';
import type { FrameSink, FrameSource, SourceAddress } from './frame-source';
import { fetchWithCameraAuth } from './http-auth';

const TIMEOUT_MS = 5_000;
const MAX_BYTES = 10 * 1024 * 1024;

/**
 * Frames by polling a camera's snapshot URL at its frame rate (one request at a time: a slow
 * camera lowers the rate rather than piling up requests), backing off while it fails.
 */
export class SnapshotPoller implements FrameSource {
  private running = false;
  private loop: Promise<void> | null = null;
  private readonly stopped = new AbortController();

  constructor(
    private readonly url: string,
    private readonly address: SourceAddress,
    private readonly backoff = new Backoff(),
  ) {}

  start(sink: FrameSink): void {
    this.running = true;
    this.loop = this.run(sink);
  }

  async stop(): Promise<void> {
    this.running = false;
    this.stopped.abort();
    await this.loop;
  }

  private async run(sink: FrameSink): Promise<void> {
    const interval = 1000 / this.address.frameRate;
    while (this.running) {
      const started = Date.now();
      let wait = interval;
      try {
        const image = await this.fetchFrame();
        this.backoff.reset();
        sink.condition({ condition: 'ok' });
        await sink.frame(image, started);
      } catch (error) {
        wait = this.backoff.next();
        sink.condition({
          condition: 'fault',
          detail: `snapshot failed: ${(error as Error).message}`.slice(0, 400),
        });
      }
      const remaining = wait - (Date.now() - started);
      if (remaining > 0)
        await sleep(remaining, undefined, { signal: this.stopped.signal }).catch(() => undefined);
    }
  }

  private async fetchFrame() {
    const response = await fetchWithCameraAuth(this.url, this.address.credentials, {
      timeoutMs: TIMEOUT_MS,
      headers: { accept: 'image/jpeg, image/png' },
    });
    if (!response.ok) {
      await response.arrayBuffer().catch(() => undefined);
      throw new Error(`the camera answered ${response.status}`);
    }
    const length = Number(response.headers.get('content-length') ?? 0);
    if (length > MAX_BYTES) throw new Error(`a ${length}-byte snapshot is larger than ${MAX_BYTES}`);
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (bytes.length > MAX_BYTES)
      throw new Error(`a ${bytes.length}-byte snapshot is larger than ${MAX_BYTES}`);
    return readImage(bytes);
  }
}
