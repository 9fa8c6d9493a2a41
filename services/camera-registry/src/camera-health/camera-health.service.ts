import { BadRequestException, Inject, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { cameras as contract, EventTypes, Topics, isUuid } from '@safecity/contracts';
import { NonRetriableEventError, Outbox, type ConsumedEvent } from '@safecity/messaging';
import { RegionScope, ScopedTransaction, UseCase, type Principal } from '@safecity/security';
import { CAMERA_REGISTRY_POLICIES as P } from '../camera-registry.policies';
import { ConflictFieldException, UnprocessableFieldException } from '@safecity/service-kit';
import type { DataSource, EntityManager } from 'typeorm';
import { CAMERA_REGISTRY_SCHEMA } from '../schema';
import {
  CameraHealthRepository,
  type CameraHealthRow,
  type HeartbeatWrite,
  type RegionFilter,
  type VideoSystemHealthRow,
  type VideoSystemHeartbeatInfo,
} from './camera-health.repository';
import type { CameraHeartbeatDto, SystemHeartbeatDto } from './heartbeat.dto';
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
import { almatyDate, almatyDayStart, dailyUptime, UPTIME_TIME_ZONE, type DayUptime } from './uptime';

export const MAX_CAMERAS_PER_HEARTBEAT = 10_000;
export const MAX_EXTERNAL_ID_LENGTH = 128;
export const MAX_DETAIL_LENGTH = 500;
const DAY_MS = 86_400_000;

const CONDITION: Record<contract.CameraCondition, HeartbeatCondition> = {
  [contract.CameraCondition.CAMERA_CONDITION_UNSPECIFIED]: 'ok',
  [contract.CameraCondition.CAMERA_CONDITION_OK]: 'ok',
  [contract.CameraCondition.CAMERA_CONDITION_DEGRADED]: 'degraded',
  [contract.CameraCondition.CAMERA_CONDITION_FAULT]: 'fault',
};

const regionsOf = (scope: RegionScope): RegionFilter => (scope.all ? null : [...scope.regions]);

function badRequest(field: string, reason: string): BadRequestException {
  return new BadRequestException({
    statusCode: 400,
    error: 'Bad Request',
    message: reason,
    problems: [{ field, reason }],
  });
}

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
 * Heartbeats in, health and uptime out. REST and Kafka heartbeats go through the same `apply`.
 * Every transaction sets its region scope: the caller's for REST, every region for the bus.
 */
@Injectable()
export class CameraHealthService {
  private readonly logger = new Logger('CameraHealth');

  constructor(
    @InjectDataSource(CAMERA_REGISTRY_SCHEMA) private readonly dataSource: DataSource,
    private readonly repo: CameraHealthRepository,
    private readonly transitions: StatusTransitions,
    private readonly outbox: Outbox,
    @Inject(CAMERA_HEALTH_SETTINGS) private readonly settings: CameraHealthSettings,
  ) {}

  private now(): Date {
    return this.settings.clock.now();
  }

  private read<T>(scope: RegionScope, work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return ScopedTransaction.run(this.dataSource, scope, (context) => work(context.manager));
  }

  private write<T>(scope: RegionScope, work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.outbox.transaction(async (manager) =>
      work((await ScopedTransaction.apply(manager, scope)).manager),
    );
  }

  /** A video system's API key speaks for that system only; others' objects do not exist for it. */
  private assertOwnSystem(caller: Principal, videoSystemId: string, notFound: string) {
    if (caller.kind === 'video-system' && caller.subject.toLowerCase() !== videoSystemId.toLowerCase()) {
      throw new NotFoundException(notFound);
    }
  }

  /** Why an observation time is refused, or null: bounded for clock skew and for staleness. */
  private observedAtProblem(observedAt: Date, now: Date): 'ahead' | 'stale' | null {
    if (observedAt.getTime() > now.getTime() + this.settings.maxClockSkewSeconds * 1000) return 'ahead';
    if (observedAt.getTime() < now.getTime() - this.settings.maxHeartbeatAgeSeconds * 1000) return 'stale';
    return null;
  }

  private observedAtFromRequest(value: string | undefined, now: Date): Date {
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

  /** `POST /video-systems/:id/heartbeats`. */
  @UseCase(P.reportHeartbeat)
  async systemHeartbeat(
    videoSystemId: string,
    dto: SystemHeartbeatDto,
    caller: Principal,
  ): Promise<HeartbeatOutcome> {
    this.assertOwnSystem(caller, videoSystemId, `video system ${videoSystemId} not found`);
    const now = this.now();
    const scope = RegionScope.of(caller);
    return this.write(scope, async (manager) => {
      const [system] = await this.repo.videoSystems(manager, [videoSystemId], regionsOf(scope));
      if (!system) throw new NotFoundException(`video system ${videoSystemId} not found`);
      if (system.status === 'decommissioned') {
        throw new ConflictFieldException('id', 'video system is decommissioned');
      }
      const input: HeartbeatInput = {
        videoSystemId: system.id,
        observedAt: this.observedAtFromRequest(dto.observedAt, now),
        fromSystem: true,
        cameras: (dto.cameras ?? []).map((c) => ({
          externalId: c.externalId,
          condition: c.status ?? 'ok',
          detail: c.detail ?? null,
        })),
      };
      const [outcome] = await this.apply(manager, [input], [system], now);
      return outcome;
    });
  }

  /** `POST /cameras/:id/heartbeats`. */
  @UseCase(P.reportHeartbeat)
  async cameraHeartbeat(
    cameraId: string,
    dto: CameraHeartbeatDto,
    caller: Principal,
  ): Promise<CameraHealthView> {
    const now = this.now();
    const scope = RegionScope.of(caller);
    return this.write(scope, async (manager) => {
      const camera = await this.repo.cameraHealth(manager, cameraId, regionsOf(scope));
      if (!camera) throw new NotFoundException(`camera ${cameraId} not found`);
      this.assertOwnSystem(caller, camera.videoSystemId, `camera ${cameraId} not found`);
      if (camera.lifecycle === 'decommissioned') {
        throw new ConflictFieldException('id', 'camera is decommissioned and not monitored');
      }
      const input: HeartbeatInput = {
        videoSystemId: camera.videoSystemId,
        observedAt: this.observedAtFromRequest(dto.observedAt, now),
        fromSystem: false,
        cameras: [{ cameraId: camera.cameraId, condition: dto.status ?? 'ok', detail: dto.detail ?? null }],
      };
      const systems = await this.repo.videoSystems(manager, [camera.videoSystemId], null);
      await this.apply(manager, [input], systems, now);
      return this.toView((await this.repo.cameraHealth(manager, camera.cameraId, null))!);
    });
  }

  /**
   * A batch of `safecity.camera-heartbeats.v1` records, in one transaction. Records that can
   * never be applied fail the batch with NonRetriableEventError, after which the dispatcher
   * retries the records one by one and dead-letters only those. A heartbeat that is too old by
   * the time it is read (consumer lag) is dropped: applying it would report a past state as now.
   * There is no inbox: a heartbeat only counts if it is newer than the one stored, so a redelivery
   * changes nothing, and an inbox row per heartbeat is the write per heartbeat this avoids.
   */
  async recordHeartbeatEvents(events: ConsumedEvent<contract.CameraHeartbeat>[]): Promise<void> {
    const now = this.now();
    const inputs: HeartbeatInput[] = [];
    for (const event of events) {
      const input = this.fromEvent(event, now);
      if (input) inputs.push(input);
    }
    if (inputs.length === 0) return;
    // The bus authenticated the producer; heartbeats on it are the platform's own business.
    await this.write(RegionScope.allRegions(), async (manager) => {
      const systems = await this.repo.videoSystems(
        manager,
        [...new Set(inputs.map((i) => i.videoSystemId))],
        null,
      );
      const known = new Map(systems.map((s) => [s.id, s]));
      const unknown = inputs.find((i) => !known.has(i.videoSystemId));
      if (unknown) throw new NonRetriableEventError(`unknown video system ${unknown.videoSystemId}`);
      const live = inputs.filter((i) => known.get(i.videoSystemId)!.status !== 'decommissioned');
      if (live.length < inputs.length) {
        this.logger.warn({
          msg: 'heartbeats of decommissioned video systems dropped',
          count: inputs.length - live.length,
        });
      }
      if (live.length > 0) await this.apply(manager, live, systems, now);
    });
  }

  private fromEvent(event: ConsumedEvent<contract.CameraHeartbeat>, now: Date): HeartbeatInput | null {
    const fail = (reason: string) => new NonRetriableEventError(`heartbeat ${event.id}: ${reason}`);
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
  private async apply(
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

  @UseCase(P.readHealth)
  async cameraHealth(cameraId: string, scope: RegionScope): Promise<CameraHealthView> {
    const row = await this.read(scope, (manager) =>
      this.repo.cameraHealth(manager, cameraId, regionsOf(scope)),
    );
    if (!row) throw new NotFoundException(`camera ${cameraId} not found`);
    return this.toView(row);
  }

  private toView(row: CameraHealthRow): CameraHealthView {
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

  @UseCase(P.setHealthSettings)
  async setCameraInterval(
    cameraId: string,
    seconds: number | null,
    scope: RegionScope,
  ): Promise<CameraHealthView> {
    return this.write(scope, async (manager) => {
      const row = await this.repo.cameraHealth(manager, cameraId, regionsOf(scope));
      if (!row) throw new NotFoundException(`camera ${cameraId} not found`);
      await this.repo.setCameraInterval(manager, row.cameraId, seconds);
      return this.toView((await this.repo.cameraHealth(manager, row.cameraId, null))!);
    });
  }

  @UseCase(P.setHealthSettings)
  async setVideoSystemInterval(videoSystemId: string, seconds: number, scope: RegionScope) {
    return this.write(scope, async (manager) => {
      const [system] = await this.repo.videoSystems(manager, [videoSystemId], regionsOf(scope));
      if (!system) throw new NotFoundException(`video system ${videoSystemId} not found`);
      await this.repo.setSystemInterval(manager, system.id, seconds);
      return this.systemView((await this.repo.videoSystemHealth(manager, system.id, null))!);
    });
  }

  @UseCase(P.readHealth)
  async videoSystemHealth(videoSystemId: string, scope: RegionScope) {
    const row = await this.read(scope, (manager) =>
      this.repo.videoSystemHealth(manager, videoSystemId, regionsOf(scope)),
    );
    if (!row) throw new NotFoundException(`video system ${videoSystemId} not found`);
    return this.systemView(row);
  }

  private systemView(row: VideoSystemHealthRow) {
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

  /** Per-day uptime from the observed-status history; days are Almaty calendar days. */
  @UseCase(P.readHealth)
  async uptime(cameraId: string, scope: RegionScope, from?: string, to?: string): Promise<UptimeReport> {
    const now = this.now();
    const toDate = to ?? almatyDate(now);
    const toStart = almatyDayStart(toDate);
    if (toStart === null) throw badRequest('to', 'to must be a calendar date YYYY-MM-DD');
    const fromDate = from ?? almatyDate(new Date(toStart - 6 * DAY_MS));
    const fromStart = almatyDayStart(fromDate);
    if (fromStart === null) throw badRequest('from', 'from must be a calendar date YYYY-MM-DD');
    if (fromStart > toStart) throw badRequest('from', 'from must not be after to');
    const days = Math.round((toStart - fromStart) / DAY_MS) + 1;
    if (days > this.settings.maxUptimeDays) {
      throw badRequest('to', `at most ${this.settings.maxUptimeDays} days per request`);
    }
    const end = new Date(Math.min(toStart + DAY_MS, Math.max(now.getTime(), fromStart)));
    const timeline = await this.read(scope, async (manager) => {
      const camera = await this.repo.cameraHealth(manager, cameraId, regionsOf(scope));
      if (!camera) throw new NotFoundException(`camera ${cameraId} not found`);
      return this.repo.statusTimeline(manager, camera.cameraId, new Date(fromStart), end);
    });
    return {
      cameraId,
      timeZone: UPTIME_TIME_ZONE,
      from: fromDate,
      to: toDate,
      days: dailyUptime({
        fromDate,
        days,
        initial: timeline.initial,
        transitions: timeline.transitions,
        now,
      }),
    };
  }
}
