import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { WATCHED_SOURCES, type WatchedSources } from '../assignment/watched-sources';
import type { CameraHealthReporter } from '../delivery/camera-health.reporter';
import type { DetectionDelivery } from '../delivery/detection-delivery';
import { CameraWatcher, type WatcherDeps } from './camera-watcher';

export const WATCHER_DEPS = Symbol('WATCHER_DEPS');

export interface WatchedCameraStatus {
  cameraId: string;
  regionCode: string;
  reads: 'rtsp' | 'onvif' | 'snapshot';
  frameRate: number;
  features: string[];
  condition: string | null;
  detail: string | null;
  framesAnalysed: number;
  lastFrameAt: Date | null;
  lastInferenceMs: number | null;
}

/**
 * Keeps one watcher running for each camera this instance is given, and none for the others: on
 * every change of the set (a source changed, partitions moved) and every half minute.
 */
@Injectable()
export class WatchSupervisor implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger('WatchSupervisor');
  private readonly watchers = new Map<string, CameraWatcher>();
  private reconciling: Promise<void> = Promise.resolve();
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    @Inject(WATCHED_SOURCES) private readonly sources: WatchedSources,
    @Inject(WATCHER_DEPS)
    private readonly deps: WatcherDeps & { delivery: DetectionDelivery; health: CameraHealthReporter },
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.deps.delivery.start();
    this.deps.health.start();
    this.sources.onChange(() => void this.reconcile());
    await this.sources.start();
    this.timer = setInterval(() => void this.reconcile(), 30_000);
    this.timer.unref();
    await this.reconcile();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    await this.reconciling;
    await this.sources.stop();
    await Promise.all([...this.watchers.values()].map((w) => w.stop()));
    this.watchers.clear();
    this.deps.health.stop();
    await this.deps.delivery.stop();
  }

  /** Runs one pass now, or one more after the pass under way. */
  reconcile(): Promise<void> {
    if (this.again) return this.reconciling;
    this.again = true;
    this.reconciling = this.reconciling.then(async () => {
      this.again = false;
      if (this.closed) return;
      try {
        await this.pass();
      } catch (error) {
        this.log.warn(`could not refresh the watched cameras: ${(error as Error).message}`);
      }
    });
    return this.reconciling;
  }

  status(): { assignment: string; cameras: WatchedCameraStatus[] } {
    return {
      assignment: this.sources.describe(),
      cameras: [...this.watchers.values()].map((w) => {
        const state = this.deps.health.conditionOf(w.source.cameraId);
        return {
          cameraId: w.source.cameraId,
          regionCode: w.source.regionCode,
          reads: w.kind,
          frameRate: w.source.frameRate,
          features: w.source.features,
          condition: state?.condition ?? null,
          detail: state && state.condition !== 'ok' ? state.detail : null,
          ...w.stats,
        };
      }),
    };
  }

  private async pass(): Promise<void> {
    const wanted = new Map((await this.sources.current()).map((s) => [s.cameraId, s]));
    for (const [cameraId, watcher] of this.watchers) {
      const source = wanted.get(cameraId);
      if (source && source.version === watcher.source.version) continue;
      await watcher.stop();
      this.watchers.delete(cameraId);
    }
    for (const [cameraId, source] of wanted) {
      if (this.watchers.has(cameraId)) continue;
      const watcher = new CameraWatcher(source, this.deps);
      this.watchers.set(cameraId, watcher);
      watcher.start();
    }
  }
}
