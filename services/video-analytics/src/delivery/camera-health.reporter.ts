import { Logger } from '@nestjs/common';
import { cameras, EventTypes, Topics } from '@safecity/contracts';
import type { Outbox } from '@safecity/messaging';
import type { UnitOfWork } from '@safecity/persistence';
import type { SourceCondition } from '../frames/frame-source';

const CONDITION: Record<SourceCondition['condition'], cameras.CameraCondition> = {
  ok: cameras.CameraCondition.CAMERA_CONDITION_OK,
  degraded: cameras.CameraCondition.CAMERA_CONDITION_DEGRADED,
  fault: cameras.CameraCondition.CAMERA_CONDITION_FAULT,
};

interface Watched {
  videoSystemId: string;
  regionCode: string;
  state: SourceCondition | null;
}

/**
 * The state of the cameras this instance reads, as camera heartbeats on behalf of their video
 * systems (camera-registry's health model takes them as it takes a VMS's): at once when a camera's
 * condition changes, and every `intervalMs` for all of them. Through the outbox, so a report is
 * never lost to a broker outage. Cameras not yet read (no frame or failure so far) are not listed.
 */
export class CameraHealthReporter {
  private readonly log = new Logger('CameraHealthReporter');
  private readonly cameras = new Map<string, Watched>();
  private readonly changed = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private flushTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly outbox: Outbox,
    private readonly unit: UnitOfWork,
    private readonly intervalMs = 30_000,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.report([...this.cameras.keys()]), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.flushTimer) clearTimeout(this.flushTimer);
  }

  watch(cameraId: string, videoSystemId: string, regionCode: string): void {
    if (!this.cameras.has(cameraId)) this.cameras.set(cameraId, { videoSystemId, regionCode, state: null });
  }

  unwatch(cameraId: string): void {
    this.cameras.delete(cameraId);
  }

  update(cameraId: string, state: SourceCondition): void {
    const camera = this.cameras.get(cameraId);
    if (!camera) return;
    const before = camera.state;
    camera.state = state;
    const same =
      before?.condition === state.condition &&
      (state.condition === 'ok' || (before as { detail?: string }).detail === state.detail);
    if (same) return;
    this.changed.add(cameraId);
    this.flushTimer ??= setTimeout(() => {
      this.flushTimer = null;
      const ids = [...this.changed];
      this.changed.clear();
      void this.report(ids);
    }, 250);
  }

  conditionOf(cameraId: string): SourceCondition | null {
    return this.cameras.get(cameraId)?.state ?? null;
  }

  private async report(cameraIds: string[]): Promise<void> {
    const bySystem = new Map<string, { regionCode: string; entries: cameras.CameraHeartbeatEntry[] }>();
    for (const id of cameraIds) {
      const c = this.cameras.get(id);
      if (!c?.state) continue;
      const group = bySystem.get(c.videoSystemId) ?? { regionCode: c.regionCode, entries: [] };
      group.entries.push({
        externalId: '',
        cameraId: id,
        condition: CONDITION[c.state.condition],
        detail: c.state.condition === 'ok' ? '' : c.state.detail.slice(0, 500),
      });
      bySystem.set(c.videoSystemId, group);
    }
    if (bySystem.size === 0) return;
    try {
      await this.unit.run(async (m) => {
        for (const [videoSystemId, group] of bySystem) {
          await this.outbox.add(m, {
            topic: Topics.CameraHeartbeats,
            key: videoSystemId,
            type: EventTypes.CameraHeartbeatReceived,
            subject: videoSystemId,
            region: group.regionCode,
            payload: cameras.CameraHeartbeat.encode({
              videoSystemId,
              observedAt: new Date(),
              cameras: group.entries,
            }).finish(),
          });
        }
      });
    } catch (error) {
      // The next periodic report carries the state again.
      this.log.warn(`camera health not recorded: ${(error as Error).message}`);
    }
  }
}
