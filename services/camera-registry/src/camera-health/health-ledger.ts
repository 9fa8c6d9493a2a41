import { Inject, Injectable, Logger } from '@nestjs/common';
import { cameras as contract, EventTypes, Topics, isUuid } from '@safecity/contracts';
import type { ConsumedEvent } from '@safecity/messaging';
import { RegionAccess, RegionScope, type Principal } from '@safecity/security';
import { InvalidError, NotFoundError, UnprocessableFieldException } from '@safecity/service-kit';
import type { EntityManager } from 'typeorm';
import {
  CameraHealthRepository,
  type CameraHealthRow,
  type HeartbeatWrite,
  type RegionFilter,
  type VideoSystemHealthRow,
  type VideoSystemHeartbeatInfo,
} from './camera-health.repository';
import {
  observedStatusOf,
  type HeartbeatCamera,
  type HeartbeatCondition,
  type HeartbeatInput,
  type HeartbeatOutcome,
  type StatusTransition,
} from './health-model';
import { CAMERA_HEALTH_SETTINGS, type CameraHealthSettings } from './health-settings';
import { StatusTransitions } from './status-transitions';
import type { DayUptime } from './uptime';

export const MAX_CAMERAS_PER_HEARTBEAT = 10_000;
export const MAX_EXTERNAL_ID_LENGTH = 128;
export const MAX_DETAIL_LENGTH = 500;

const CONDITION: Record<contract.CameraCondition, HeartbeatCondition> = {
  [contract.CameraCondition.CAMERA_CONDITION_UNSPECIFIED]: 'ok',
  [contract.CameraCondition.CAMERA_CONDITION_OK]: 'ok',
  [contract.CameraCondition.CAMERA_CONDITION_DEGRADED]: 'degraded',
  [contract.CameraCondition.CAMERA_CONDITION_FAULT]: 'fault',
};

/** The repository's region filter of a scope. */
export const regionsOf = (scope: RegionScope): RegionFilter => (scope.all ? null : [...scope.regions]);

export interface CameraHealthView {
  cameraId: string;
  videoSystemId: string;
  monitored: boolean;
  /** Published status: what `cameras.status` and `safecity.camera-status.v1` say. */
  status: string;
  /** Status as last observed; differs from `status` only while the camera is held as flapping. */
  observedStatus: string;
  observedStatusSince: Date | null;
  flapping: boolean;
  heldSince: Date | null;
  lastHeartbeatAt: Date | null;
  condition: HeartbeatCondition | null;
  detail: string | null;
  expectedIntervalSeconds: number;
  expectedIntervalSource: 'camera' | 'video-system' | 'default';
  offlineAfterSeconds: number;
}

export interface UptimeReport {
  cameraId: string;
  timeZone: string;
  from: string;
  to: string;
  days: DayUptime[];
}

/**
 * What the health use cases share: heartbeats in through one `apply` (REST and Kafka alike), views
 * of health out, and transactions of a region scope (the caller's for REST, every region for the
 * bus).
 */
@Injectable()
export class HealthLedger {
  private readonly logger = new Logger('CameraHealth');

  constructor(
    private readonly access: RegionAccess,
    private readonly repo: CameraHealthRepository,
    private readonly transitions: StatusTransitions,
    @Inject(CAMERA_HEALTH_SETTINGS) readonly settings: CameraHealthSettings,
  ) {}

  now(): Date {
    return this.settings.clock.now();
  }

  /** Work in a unit of work of the scope's regions: what it queues leaves with the commit. */
  inScope<T>(scope: RegionScope, work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.access.run(scope, work);
  }

  /** A video system's API key speaks for that system only; others' objects do not exist for it. */
  assertOwnSystem(caller: Principal, videoSystemId: string, notFound: string) {
    if (caller.kind === 'video-system' && caller.subject.toLowerCase() !== videoSystemId.toLowerCase()) {
      throw new NotFoundError(notFound);
    }
  }

  /** Why an observation time is refused, or null: bounded for clock skew and for staleness. */
  private observedAtProblem(observedAt: Date, now: Date): 'ahead' | 'stale' | null {
    if (observedAt.getTime() > now.getTime() + this.settings.maxClockSkewSeconds * 1000) return 'ahead';
    if (observedAt.getTime() < now.getTime() - this.settings.maxHeartbeatAgeSeconds * 1000) return 'stale';
    return null;
  }

  observedAtFromRequest(value: string | undefined, now: Date): Date {
    const observedAt = value === undefined ? now : new Date(value);
    const problem = this.observedAtProblem(observedAt, now);
    if (problem === 'ahead') {
      throw new UnprocessableFieldException(
        'observedAt',
        `more than ${this.settings.maxClockSkewSeconds} s ahead of the platform clock`,
      );
    }
    if (problem === 'stale') {
      throw new UnprocessableFieldException(
        'observedAt',
        `more than ${this.settings.maxHeartbeatAgeSeconds} s in the past`,
      );
    }
    return observedAt;
  }

  /** A heartbeat record as the input `apply` takes; null for one too old to tell the present. */
  fromEvent(event: ConsumedEvent<contract.CameraHeartbeat>, now: Date): HeartbeatInput | null {
    // Dead-lettered at once by the event transport: no retry makes such a record applicable.
    const fail = (reason: string) =>
      new InvalidError({ field: 'heartbeat', reason: `heartbeat ${event.id}: ${reason}` });
    if (event.type !== EventTypes.CameraHeartbeatReceived) {
      throw fail(`unexpected type ${event.type} on ${Topics.CameraHeartbeats}`);
    }
    const heartbeat = event.data;
    if (!isUuid(heartbeat.videoSystemId)) throw fail('video_system_id must be a UUID');
    if (heartbeat.cameras.length > MAX_CAMERAS_PER_HEARTBEAT) {
      throw fail(`more than ${MAX_CAMERAS_PER_HEARTBEAT} cameras`);
    }
    const observedAt = heartbeat.observedAt ?? event.time;
    const problem = this.observedAtProblem(observedAt, now);
    if (problem === 'ahead') {
      throw fail(
        `observed_at is more than ${this.settings.maxClockSkewSeconds} s ahead of the platform clock`,
      );
    }
    if (problem === 'stale') {
      this.logger.debug({ msg: 'stale heartbeat dropped', eventId: event.id, observedAt });
      return null;
    }
    const cameras = heartbeat.cameras.map((entry, i): HeartbeatCamera => {
      if (Boolean(entry.externalId) === Boolean(entry.cameraId)) {
        throw fail(`cameras[${i}] must name exactly one of external_id and camera_id`);
      }
      if (entry.cameraId && !isUuid(entry.cameraId)) throw fail(`cameras[${i}].camera_id must be a UUID`);
      if (entry.externalId.length > MAX_EXTERNAL_ID_LENGTH) {
        throw fail(`cameras[${i}].external_id is longer than ${MAX_EXTERNAL_ID_LENGTH}`);
      }
      if (entry.detail.length > MAX_DETAIL_LENGTH) {
        throw fail(`cameras[${i}].detail is longer than ${MAX_DETAIL_LENGTH}`);
      }
      return {
        cameraId: entry.cameraId || undefined,
        externalId: entry.externalId || undefined,
        condition: CONDITION[entry.condition] ?? 'ok',
        detail: entry.detail || null,
      };
    });
    return { videoSystemId: heartbeat.videoSystemId.toLowerCase(), observedAt, fromSystem: true, cameras };
  }

  /**
   * Stores the newest heartbeat per camera and per video system (one statement each for the
   * whole batch), then turns cameras whose observed status this changes online, or offline on a
   * fault, through the same transitions as the detector.
   */
  async apply(
    manager: EntityManager,
    inputs: HeartbeatInput[],
    systems: VideoSystemHeartbeatInfo[],
    now: Date,
  ): Promise<HeartbeatOutcome[]> {
    const refs: { input: number; camera: HeartbeatCamera }[] = [];
    inputs.forEach((input, i) => input.cameras.forEach((camera) => refs.push({ input: i, camera })));
    const resolved = await this.repo.resolve(
      manager,
      refs.map(({ input, camera }) => ({
        videoSystemId: inputs[input].videoSystemId,
        cameraId: camera.cameraId ?? null,
        externalId: camera.cameraId ? null : (camera.externalId ?? null),
      })),
    );
    const byPosition = new Map(resolved.map((r) => [r.n - 1, r]));
    const outcomes: HeartbeatOutcome[] = inputs.map(() => ({ accepted: 0, unknown: [], notMonitored: [] }));
    const latest = new Map<string, HeartbeatWrite & { videoSystemId: string }>();
    refs.forEach(({ input, camera }, position) => {
      const name = camera.cameraId ?? camera.externalId ?? '';
      const match = byPosition.get(position);
      const outcome = outcomes[input];
      if (!match) return void outcome.unknown.push(name);
      if (match.lifecycle === 'decommissioned') return void outcome.notMonitored.push(name);
      outcome.accepted++;
      const { observedAt, videoSystemId } = inputs[input];
      const previous = latest.get(match.cameraId);
      if (!previous || observedAt.getTime() >= previous.observedAt.getTime()) {
        latest.set(match.cameraId, {
          cameraId: match.cameraId,
          videoSystemId,
          observedAt,
          condition: camera.condition,
          detail: camera.detail,
        });
      }
    });

    const refreshed = await this.repo.recordCameraHeartbeats(manager, [...latest.values()]);
    const systemInterval = new Map(systems.map((s) => [s.id, s.intervalSeconds]));
    const transitions: StatusTransition[] = [];
    for (const row of refreshed) {
      const to = observedStatusOf(row.condition);
      if (row.rawStatus === to) continue;
      if (to === 'online') {
        const interval =
          row.expectedIntervalSeconds ??
          systemInterval.get(latest.get(row.cameraId)!.videoSystemId) ??
          this.settings.defaultIntervalSeconds;
        // Already past the offline threshold: the next detector run would only undo it.
        const deadline = row.lastHeartbeatAt.getTime() + interval * this.settings.missedHeartbeats * 1000;
        if (deadline <= now.getTime()) continue;
      }
      transitions.push({
        cameraId: row.cameraId,
        to,
        at: row.lastHeartbeatAt,
        cause: to === 'online' ? 'heartbeat' : 'fault',
      });
    }
    await this.transitions.apply(manager, transitions);

    const systemBeats = new Map<string, { videoSystemId: string; observedAt: Date; cameraCount: number }>();
    for (const input of inputs) {
      if (!input.fromSystem) continue;
      const previous = systemBeats.get(input.videoSystemId);
      if (!previous || input.observedAt.getTime() >= previous.observedAt.getTime()) {
        systemBeats.set(input.videoSystemId, {
          videoSystemId: input.videoSystemId,
          observedAt: input.observedAt,
          cameraCount: input.cameras.length,
        });
      }
    }
    await this.repo.recordSystemHeartbeats(manager, [...systemBeats.values()]);
    return outcomes;
  }

  /** What the API shows of a camera's health. */
  toView(row: CameraHealthRow): CameraHealthView {
    const source =
      row.cameraIntervalSeconds !== null
        ? 'camera'
        : row.systemIntervalSeconds !== null
          ? 'video-system'
          : 'default';
    const interval =
      row.cameraIntervalSeconds ?? row.systemIntervalSeconds ?? this.settings.defaultIntervalSeconds;
    return {
      cameraId: row.cameraId,
      videoSystemId: row.videoSystemId,
      monitored: row.lifecycle !== 'decommissioned',
      status: row.status,
      observedStatus: row.rawStatus,
      observedStatusSince: row.rawChangedAt,
      flapping: row.heldSince !== null,
      heldSince: row.heldSince,
      lastHeartbeatAt: row.lastHeartbeatAt,
      condition: row.condition,
      detail: row.detail,
      expectedIntervalSeconds: interval,
      expectedIntervalSource: source,
      offlineAfterSeconds: interval * this.settings.missedHeartbeats,
    };
  }

  /** What the API shows of a video system's health. */
  systemView(row: VideoSystemHealthRow) {
    const interval = row.intervalSeconds ?? this.settings.defaultIntervalSeconds;
    const offlineAfterSeconds = interval * this.settings.missedHeartbeats;
    const silentFor = row.lastHeartbeatAt ? this.now().getTime() - row.lastHeartbeatAt.getTime() : null;
    return {
      videoSystemId: row.id,
      lifecycleStatus: row.status,
      status: silentFor === null ? 'unknown' : silentFor < offlineAfterSeconds * 1000 ? 'online' : 'offline',
      lastHeartbeatAt: row.lastHeartbeatAt,
      lastCameraCount: row.lastCameraCount,
      heartbeatIntervalSeconds: interval,
      offlineAfterSeconds,
      cameras: {
        total: row.total,
        online: row.online,
        offline: row.offline,
        unknown: row.unknown,
        flapping: row.flapping,
        degraded: row.degraded,
        fault: row.fault,
      },
    };
  }
}
