import type { MediaCredentials } from '@safecity/security';
import type { RgbImage } from '@safecity/vision';

/** How a camera is doing as a source of frames, reported as its health. */
export type SourceCondition = { condition: 'ok' } | { condition: 'degraded' | 'fault'; detail: string };

export interface FrameSink {
  /** A frame, in memory only; the source drops frames that arrive while the last one is still handled. */
  frame(image: RgbImage, atMs: number): Promise<void>;
  condition(state: SourceCondition): void;
}

/** Pictures of one camera at a set rate until stopped; failures are retried with back-off by the source. */
export interface FrameSource {
  start(sink: FrameSink): void;
  stop(): Promise<void>;
}

export interface SourceAddress {
  credentials: MediaCredentials | null;
  frameRate: number;
}

/** A URL with its user info removed, fit for a log line or a health detail. */
export function withoutUserInfo(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/\s@]*@/gi, '$1');
}
