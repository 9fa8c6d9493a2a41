import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RgbImage } from '@safecity/vision';
import { Backoff } from './backoff';
import { withoutUserInfo, type FrameSink, type FrameSource, type SourceAddress } from './frame-source';

/** Frames wider than this are scaled down by ffmpeg before analysis (the models work at 640 or less). */
const MAX_WIDTH = 640;

export interface RtspReaderOptions {
  /** The ffmpeg executable (Debian's `ffmpeg` package); default `ffmpeg` on the PATH. */
  ffmpeg?: string;
  /** No frame for this long restarts the stream; default the larger of 10 s and five frame intervals. */
  stallMs?: number;
}

/** The RTSP URL with the camera's credentials in its user info, for ffmpeg only. */
export function authenticatedUrl(url: string, address: SourceAddress): string {
  if (!address.credentials) return url;
  const parsed = new URL(url);
  parsed.username = encodeURIComponent(address.credentials.username);
  parsed.password = encodeURIComponent(address.credentials.password);
  return parsed.toString();
}

/**
 * Frames from an RTSP stream through ffmpeg, decoded to RGB at the camera's frame rate and read
 * from its standard output: nothing touches the disk. ffmpeg's own messages are read only for the
 * frame size and are never logged (they carry the URL); a failing or stalled stream is restarted
 * with back-off and reported.
 */
export class RtspReader implements FrameSource {
  private running = false;
  private child: ChildProcess | null = null;
  private loop: Promise<void> | null = null;
  private readonly stopped = new AbortController();

  constructor(
    private readonly resolveUrl: () => Promise<string>,
    private readonly address: SourceAddress,
    private readonly options: RtspReaderOptions = {},
    private readonly backoff = new Backoff(),
  ) {}

  start(sink: FrameSink): void {
    this.running = true;
    this.loop = this.run(sink);
  }

  async stop(): Promise<void> {
    this.running = false;
    this.stopped.abort();
    this.child?.kill('SIGKILL');
    await this.loop;
  }

  private async run(sink: FrameSink): Promise<void> {
    while (this.running) {
      let detail: string;
      let framesSeen = 0;
      try {
        const url = await this.resolveUrl();
        framesSeen = await this.stream(url, sink);
        detail = 'the stream ended';
      } catch (error) {
        detail = withoutUserInfo((error as Error).message).slice(0, 400);
      }
      if (!this.running) return;
      if (framesSeen > 0) this.backoff.reset();
      sink.condition({ condition: 'fault', detail: `stream failed: ${detail}` });
      await sleep(this.backoff.next(), undefined, { signal: this.stopped.signal }).catch(() => undefined);
    }
  }

  /** Runs one ffmpeg until it exits or stalls; resolves with the number of frames it gave. */
  private stream(url: string, sink: FrameSink): Promise<number> {
    const rate = this.address.frameRate;
    const stallMs = this.options.stallMs ?? Math.max(10_000, 5_000 / rate);
    const args = [
      '-nostdin',
      '-hide_banner',
      '-loglevel',
      'info',
      '-rtsp_transport',
      'tcp',
      // A second of stream is enough to learn its format; ffmpeg's default five delay the first frame.
      '-analyzeduration',
      '1000000',
      '-timeout',
      String(stallMs * 1000),
      '-i',
      authenticatedUrl(url, this.address),
      '-an',
      '-vf',
      `fps=${rate},scale='min(${MAX_WIDTH},iw)':-2`,
      '-f',
      'rawvideo',
      '-pix_fmt',
      'rgb24',
      'pipe:1',
    ];
    return new Promise((resolve, reject) => {
      const child = spawn(this.options.ffmpeg ?? 'ffmpeg', args, { stdio: ['ignore', 'pipe', 'pipe'] });
      this.child = child;
      let size: { width: number; height: number } | null = null;
      let stderr = '';
      let lastError = '';
      let pending: Buffer[] = [];
      let pendingBytes = 0;
      let frames = 0;
      let busy = false;
      let stall: NodeJS.Timeout = setTimeout(() => child.kill('SIGKILL'), stallMs);
      const rearm = () => {
        clearTimeout(stall);
        stall = setTimeout(() => child.kill('SIGKILL'), stallMs);
      };
      child.stderr!.on('data', (chunk: Buffer) => {
        // Kept only in memory, for the frame size and the last error line; never logged.
        stderr = (stderr + chunk.toString('utf8')).slice(-8192);
        if (!size) {
          const output = stderr.indexOf('Output #0');
          const match =
            output >= 0 ? /Video: rawvideo[^\n]*?, (\d{2,5})x(\d{2,5})/.exec(stderr.slice(output)) : null;
          if (match) size = { width: Number(match[1]), height: Number(match[2]) };
        }
        const lines = stderr.trim().split('\n');
        lastError = lines[lines.length - 1] ?? '';
      });
      child.stdout!.on('data', (chunk: Buffer) => {
        if (!size) return;
        pending.push(chunk);
        pendingBytes += chunk.length;
        const frameBytes = size.width * size.height * 3;
        while (pendingBytes >= frameBytes) {
          const all = Buffer.concat(pending);
          const frame = all.subarray(0, frameBytes);
          pending = [all.subarray(frameBytes)];
          pendingBytes = all.length - frameBytes;
          frames++;
          rearm();
          if (frames === 1) sink.condition({ condition: 'ok' });
          if (busy) continue; // the last frame is still being analysed: this one is dropped
          busy = true;
          const image: RgbImage = { width: size.width, height: size.height, data: new Uint8Array(frame) };
          sink.frame(image, Date.now()).finally(() => (busy = false));
        }
      });
      child.on('error', (error) => {
        clearTimeout(stall);
        reject(new Error(`ffmpeg could not run: ${error.message}`));
      });
      child.on('close', (code, signal) => {
        clearTimeout(stall);
        this.child = null;
        if (frames > 0 || !this.running) resolve(frames);
        else
          reject(new Error(`ffmpeg exited (${signal ?? code}): ${withoutUserInfo(lastError).slice(0, 300)}`));
      });
    });
  }
}
