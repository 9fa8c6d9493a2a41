import type { CameraSource } from '../sources/camera-source';

/**
 * The cameras this instance watches. With Kafka, those whose key falls in the partitions of the
 * media topic that the group gave this instance; in the embedded default, all of them.
 */
export interface WatchedSources {
  start(): Promise<void>;
  stop(): Promise<void>;
  current(): Promise<CameraSource[]>;
  /** Called whenever `current()` may have changed. */
  onChange(listener: () => void): void;
  /** Where the set came from, for the status endpoint: partitions owned, or 'all'. */
  describe(): string;
}

export const WATCHED_SOURCES = Symbol('WATCHED_SOURCES');
