import { Inject, Injectable } from '@nestjs/common';
import { CameraStatus, CameraStatusChanged, EventTypes, Topics } from '@safecity/contracts';
import { Outbox, type OutboundEvent } from '@safecity/messaging';
import type { EntityManager } from 'typeorm';
import type { CameraStatusName } from '../cameras/camera.entity';
import { CameraHealthRepository, type HistoryRow, type LockedCameraStatus } from './camera-health.repository';
import { dampingDecision, type StatusTransition } from './health-model';
import { CAMERA_HEALTH_SETTINGS, type CameraHealthSettings } from './health-settings';

const STATUS: Record<CameraStatusName, CameraStatus> = {
  unknown: CameraStatus.CAMERA_STATUS_UNSPECIFIED,
  online: CameraStatus.CAMERA_STATUS_ONLINE,
  offline: CameraStatus.CAMERA_STATUS_OFFLINE,
};

export interface PublishedStatus {
  cameraId: string;
  status: CameraStatusName;
  previousStatus: CameraStatusName;
  at: Date;
}

export interface TransitionsApplied {
  /** Observed transitions recorded in the history. */
  recorded: number;
  /** Status changes published (cameras.status updated, event in the outbox). */
  published: PublishedStatus[];
  /** Cameras that started to be held by the flapping rule. */
  held: string[];
}

export function cameraStatusChangedEvent(regionCode: string, change: PublishedStatus): OutboundEvent {
  return {
    topic: Topics.CameraStatus,
    key: change.cameraId,
    type: EventTypes.CameraStatusChanged,
    subject: change.cameraId,
    region: regionCode,
    time: change.at,
    payload: CameraStatusChanged.encode({
      cameraId: change.cameraId,
      regionCode,
      status: STATUS[change.status],
      previousStatus: STATUS[change.previousStatus],
      changedAt: change.at,
    }).finish(),
  };
}

/**
 * Applies observed status changes inside the caller's transaction: the observed (raw) status and
 * its history always follow what was observed; the published status (`cameras.status` and the
 * `safecity.camera-status.v1` event) follows it unless the flapping rule holds the camera.
 */
@Injectable()
export class StatusTransitions {
  constructor(
    private readonly repo: CameraHealthRepository,
    private readonly outbox: Outbox,
    @Inject(CAMERA_HEALTH_SETTINGS) private readonly settings: CameraHealthSettings,
  ) {}

  async apply(manager: EntityManager, transitions: StatusTransition[]): Promise<TransitionsApplied> {
    const done: TransitionsApplied = { recorded: 0, published: [], held: [] };
    if (transitions.length === 0) return done;
    const byCamera = new Map(transitions.map((t) => [t.cameraId, t]));
    const locked = await this.repo.lockForStatusChange(manager, [...byCamera.keys()]);

    // Re-read under the lock: another transaction may have made the same change meanwhile.
    const changes: { camera: LockedCameraStatus; t: StatusTransition; at: Date }[] = [];
    for (const camera of locked) {
      const t = byCamera.get(camera.cameraId)!;
      // Decommissioned while this heartbeat was on its way: it is not monitored any more.
      if (camera.lifecycle === 'decommissioned' && t.cause !== 'unmonitored') continue;
      const rawChanged = camera.rawStatus !== t.to;
      const unmonitored = t.cause === 'unmonitored';
      if (!rawChanged && !(unmonitored && (camera.status !== t.to || camera.heldSince))) continue;
      // History stays ordered per camera even if a late heartbeat carries an earlier time.
      const at = new Date(Math.max(t.at.getTime(), camera.rawChangedAt?.getTime() ?? 0));
      changes.push({ camera, t, at });
    }
    if (changes.length === 0) return done;

    const windowMs = this.settings.flapping.windowSeconds * 1000;
    const earlier = await this.repo.transitionsSince(
      manager,
      changes.map(({ camera, at }) => ({
        cameraId: camera.cameraId,
        after: new Date(at.getTime() - windowMs),
      })),
    );

    const history: HistoryRow[] = [];
    const observed: Parameters<CameraHealthRepository['setObservedStatus']>[1] = [];
    const events: OutboundEvent[] = [];
    for (const { camera, t, at } of changes) {
      const rawChanged = camera.rawStatus !== t.to;
      let heldSince = camera.heldSince;
      let publish: boolean;
      if (t.cause === 'unmonitored') {
        // Not monitored any more: nothing to damp, consumers must learn it now.
        heldSince = null;
        publish = true;
      } else {
        const decision = dampingDecision(
          { held: heldSince !== null, transitionsInWindow: (earlier.get(camera.cameraId) ?? 0) + 1 },
          this.settings.flapping,
        );
        if (decision === 'start-hold') {
          heldSince = at;
          done.held.push(camera.cameraId);
        }
        publish = decision === 'publish';
      }
      publish &&= camera.status !== t.to;
      if (rawChanged) {
        history.push({
          cameraId: camera.cameraId,
          changedAt: at,
          status: t.to,
          previousStatus: camera.rawStatus,
          cause: t.cause,
          published: publish,
        });
      }
      observed.push({
        cameraId: camera.cameraId,
        rawStatus: t.to,
        rawChangedAt: rawChanged ? at : camera.rawChangedAt,
        heldSince,
      });
      if (publish) {
        const change = { cameraId: camera.cameraId, status: t.to, previousStatus: camera.status, at };
        done.published.push(change);
        events.push(cameraStatusChangedEvent(camera.regionCode, change));
      }
    }
    await this.repo.appendHistory(manager, history);
    await this.repo.setObservedStatus(manager, observed);
    await this.repo.setPublishedStatus(manager, done.published);
    await this.outbox.add(manager, events);
    done.recorded = history.length;
    return done;
  }

  /**
   * Ends the hold of cameras whose observed status has been stable for the hold-down period and
   * publishes that status where it differs from the one held.
   */
  async release(manager: EntityManager, cameraIds: string[], now: Date): Promise<PublishedStatus[]> {
    if (cameraIds.length === 0) return [];
    const locked = await this.repo.lockForStatusChange(manager, cameraIds);
    const published: PublishedStatus[] = [];
    const events: OutboundEvent[] = [];
    for (const camera of locked) {
      if (camera.lifecycle === 'decommissioned' || camera.rawStatus === camera.status) continue;
      const at = new Date(Math.max(now.getTime(), camera.rawChangedAt?.getTime() ?? 0));
      const change = {
        cameraId: camera.cameraId,
        status: camera.rawStatus,
        previousStatus: camera.status,
        at,
      };
      published.push(change);
      events.push(cameraStatusChangedEvent(camera.regionCode, change));
    }
    await this.repo.setObservedStatus(
      manager,
      locked.map((c) => ({
        cameraId: c.cameraId,
        rawStatus: c.rawStatus,
        rawChangedAt: c.rawChangedAt,
        heldSince: null,
      })),
    );
    await this.repo.setPublishedStatus(manager, published);
    await this.outbox.add(manager, events);
    return published;
  }
}
