import type { CameraSourcesRepository } from '../sources/camera-sources.repository';
import type { CameraSource } from '../sources/camera-source';
import type { WatchedSources } from './watched-sources';

/** One instance watches every camera (the embedded default): the read model is the list. */
export class AllSources implements WatchedSources {
  private readonly listeners: (() => void)[] = [];

  constructor(private readonly repository: CameraSourcesRepository) {}

  async start(): Promise<void> {}

  async stop(): Promise<void> {}

  current(): Promise<CameraSource[]> {
    return this.repository.all();
  }

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  /** The media consumer stored a change. */
  changed(): void {
    for (const l of this.listeners) l();
  }

  describe(): string {
    return 'all';
  }
}
