import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { RegionAccess, SERVICE_SCOPE } from '@safecity/security';
import type { EntityManager } from 'typeorm';
import { CameraHealthRepository } from './camera-health.repository';
import { CAMERA_HEALTH_SETTINGS, type CameraHealthSettings } from './health-settings';
import { StatusTransitions } from './status-transitions';

export interface DetectorRun {
  /** False when another instance's detector held the lock: this one did nothing. */
  ran: boolean;
  markedOffline: number;
  released: number;
  unmonitored: number;
  published: number;
}

/** Rounds one run may take before leaving the rest of a backlog to the next run. */
const MAX_ROUNDS = 50;

/**
 * Turns silent cameras offline, ends flapping holds that have become stable and stops monitoring
 * decommissioned cameras. Every instance schedules it; a transaction-scoped advisory lock lets
 * one of them work at a time, and the others' runs return at once.
 */
@Injectable()
export class OfflineDetector implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('OfflineDetector');
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<unknown> | null = null;
  private stopped = false;
  /** Heartbeats sent while this process was not running could not be received. */
  readonly monitoringSince: Date;

  constructor(
    private readonly repo: CameraHealthRepository,
    private readonly transitions: StatusTransitions,
    private readonly access: RegionAccess,
    @Inject(CAMERA_HEALTH_SETTINGS) private readonly settings: CameraHealthSettings,
  ) {
    this.monitoringSince = settings.clock.now();
  }

  onApplicationBootstrap() {
    if (this.settings.detectorIntervalMs > 0) this.schedule();
  }

  async beforeApplicationShutdown() {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.inFlight;
  }

  private schedule() {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.inFlight = this.runOnce()
        .catch((error: unknown) =>
          this.logger.warn({ msg: 'offline detector run failed', error: String(error) }),
        )
        .finally(() => {
          this.inFlight = null;
          this.schedule();
        });
    }, this.settings.detectorIntervalMs);
    this.timer.unref();
  }

  /** One run, in rounds of at most `detectorBatchSize` cameras per step, each its own transaction. */
  async runOnce(): Promise<DetectorRun> {
    const total: DetectorRun = { ran: false, markedOffline: 0, released: 0, unmonitored: 0, published: 0 };
    for (let round = 0; round < MAX_ROUNDS; round++) {
      // The detector watches every region's cameras.
      const { run, full } = await this.access.run(SERVICE_SCOPE, (manager) => this.round(manager));
      if (!run.ran) return total;
      total.ran = true;
      total.markedOffline += run.markedOffline;
      total.released += run.released;
      total.unmonitored += run.unmonitored;
      total.published += run.published;
      if (!full || this.stopped) break;
    }
    return total;
  }

  private async round(manager: EntityManager) {
    const run: DetectorRun = { ran: false, markedOffline: 0, released: 0, unmonitored: 0, published: 0 };
    if (!(await this.repo.tryDetectorLock(manager))) return { run, full: false };
    run.ran = true;
    const now = this.settings.clock.now();
    const limit = this.settings.detectorBatchSize;

    const unmonitored = await this.repo.lockUnmonitoredCameras(manager, limit);
    const stopped = await this.transitions.apply(
      manager,
      unmonitored.map((cameraId) => ({
        cameraId,
        to: 'unknown' as const,
        at: now,
        cause: 'unmonitored' as const,
      })),
    );
    run.unmonitored = unmonitored.length;

    const silent = await this.repo.lockSilentCameras(manager, {
      now,
      monitoringSince: this.monitoringSince,
      missedHeartbeats: this.settings.missedHeartbeats,
      defaultIntervalSeconds: this.settings.defaultIntervalSeconds,
      limit,
    });
    const offline = await this.transitions.apply(
      manager,
      silent.map(({ cameraId, silentSince }) => ({
        cameraId,
        to: 'offline' as const,
        at: silentSince,
        cause: 'silence' as const,
      })),
    );
    run.markedOffline = offline.recorded;

    const stableSince = new Date(now.getTime() - this.settings.flapping.holdDownSeconds * 1000);
    const stable = await this.repo.lockStableHeldCameras(manager, stableSince, limit);
    const released = await this.transitions.release(manager, stable, now);
    run.released = stable.length;

    run.published = stopped.published.length + offline.published.length + released.length;
    const full = unmonitored.length === limit || silent.length === limit || stable.length === limit;
    return { run, full };
  }
}
