import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { CameraLifecycleName, CameraStatusName } from '../cameras/camera.entity';
import type { VideoSystemStatusName } from '../video-systems/video-system.entity';
import { CAMERA_REGISTRY_SCHEMA } from '../schema';
import type { HeartbeatCondition, TransitionCause } from './health-model';

export interface VideoSystemHeartbeatInfo {
  id: string;
  status: VideoSystemStatusName;
  intervalSeconds: number | null;
}

export interface ResolvedHeartbeatCamera {
  /** Position of the camera in the flattened heartbeat input. */
  n: number;
  cameraId: string;
  lifecycle: CameraLifecycleName;
}

export interface HeartbeatWrite {
  cameraId: string;
  observedAt: Date;
  condition: HeartbeatCondition;
  detail: string | null;
}

/** A camera_health row as left by a heartbeat upsert (raw status still the one before it). */
export interface RefreshedHealth {
  cameraId: string;
  rawStatus: CameraStatusName;
  lastHeartbeatAt: Date;
  condition: HeartbeatCondition;
  expectedIntervalSeconds: number | null;
}

export interface LockedCameraStatus {
  cameraId: string;
  regionCode: string;
  lifecycle: CameraLifecycleName;
  status: CameraStatusName;
  rawStatus: CameraStatusName;
  rawChangedAt: Date | null;
  heldSince: Date | null;
}

export interface HistoryRow {
  cameraId: string;
  changedAt: Date;
  status: CameraStatusName;
  previousStatus: CameraStatusName;
  cause: TransitionCause;
  published: boolean;
}

export interface CameraHealthRow {
  cameraId: string;
  videoSystemId: string;
  regionCode: string;
  lifecycle: CameraLifecycleName;
  status: CameraStatusName;
  rawStatus: CameraStatusName;
  rawChangedAt: Date | null;
  heldSince: Date | null;
  lastHeartbeatAt: Date | null;
  condition: HeartbeatCondition | null;
  detail: string | null;
  cameraIntervalSeconds: number | null;
  systemIntervalSeconds: number | null;
}

export interface VideoSystemHealthRow {
  id: string;
  status: VideoSystemStatusName;
  intervalSeconds: number | null;
  lastHeartbeatAt: Date | null;
  lastCameraCount: number | null;
  total: number;
  online: number;
  offline: number;
  unknown: number;
  flapping: number;
  degraded: number;
  fault: number;
}

const INTERVAL_OF = (fallback: string) =>
  `COALESCE(h.expected_interval_s, vh.heartbeat_interval_s, ${fallback})`;

/**
 * Region filter of the queries people's calls make (row-level security on cameras and video
 * systems is the second wall): the caller's regions, or null for every region.
 */
export type RegionFilter = string[] | null;

/**
 * The SQL of heartbeats, observed status, its history and the offline detector. Every method
 * runs in the caller's transaction, which has set the region scope for row-level security.
 */
@Injectable()
export class CameraHealthRepository {
  async videoSystems(
    manager: EntityManager,
    ids: string[],
    regions: RegionFilter,
  ): Promise<VideoSystemHeartbeatInfo[]> {
    if (ids.length === 0) return [];
    return manager.query(
      `SELECT v.id, v.status, vh.heartbeat_interval_s AS "intervalSeconds"
         FROM video_systems v LEFT JOIN video_system_health vh ON vh.video_system_id = v.id
        WHERE v.id = ANY($1::uuid[]) AND ($2::text[] IS NULL OR v.region_code = ANY($2::text[]))`,
      [ids, regions],
    );
  }

  /**
   * Maps the cameras named in heartbeats to platform cameras of the heartbeat's video system.
   * Two index lookups instead of one join with an OR, which would scan a system's cameras per name.
   */
  async resolve(
    manager: EntityManager,
    names: { videoSystemId: string; cameraId: string | null; externalId: string | null }[],
  ): Promise<ResolvedHeartbeatCamera[]> {
    if (names.length === 0) return [];
    return manager.query(
      `WITH i AS (
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[]) WITH ORDINALITY
           AS i(video_system_id, camera_id, external_id, n)
       )
       SELECT i.n::int AS n, c.id AS "cameraId", c.lifecycle
         FROM i JOIN cameras c ON c.video_system_id = i.video_system_id AND c.external_id = i.external_id
        WHERE i.camera_id IS NULL
       UNION ALL
       SELECT i.n::int, c.id, c.lifecycle
         FROM i JOIN cameras c ON c.id = i.camera_id AND c.video_system_id = i.video_system_id`,
      [names.map((x) => x.videoSystemId), names.map((x) => x.cameraId), names.map((x) => x.externalId)],
    );
  }

  /**
   * Records the latest heartbeat of each camera in one statement. A heartbeat older than the one
   * already stored changes nothing, which also makes a redelivered heartbeat harmless. Rows are
   * written in camera id order so concurrent batches lock them in the same order.
   */
  async recordCameraHeartbeats(manager: EntityManager, writes: HeartbeatWrite[]): Promise<RefreshedHealth[]> {
    if (writes.length === 0) return [];
    const sorted = [...writes].sort((a, b) =>
      a.cameraId < b.cameraId ? -1 : a.cameraId > b.cameraId ? 1 : 0,
    );
    return manager.query(
      `INSERT INTO camera_health AS h (camera_id, last_heartbeat_at, condition, detail)
       SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::text[])
       ON CONFLICT (camera_id) DO UPDATE
         SET last_heartbeat_at = EXCLUDED.last_heartbeat_at,
             condition = EXCLUDED.condition,
             detail = EXCLUDED.detail
       WHERE h.last_heartbeat_at IS NULL OR EXCLUDED.last_heartbeat_at > h.last_heartbeat_at
       RETURNING h.camera_id AS "cameraId", h.raw_status AS "rawStatus",
                 h.last_heartbeat_at AS "lastHeartbeatAt", h.condition,
                 h.expected_interval_s AS "expectedIntervalSeconds"`,
      [
        sorted.map((w) => w.cameraId),
        sorted.map((w) => w.observedAt),
        sorted.map((w) => w.condition),
        sorted.map((w) => w.detail),
      ],
    );
  }

  async recordSystemHeartbeats(
    manager: EntityManager,
    beats: { videoSystemId: string; observedAt: Date; cameraCount: number }[],
  ): Promise<void> {
    if (beats.length === 0) return;
    const sorted = [...beats].sort((a, b) => (a.videoSystemId < b.videoSystemId ? -1 : 1));
    await manager.query(
      `INSERT INTO video_system_health AS vh (video_system_id, last_heartbeat_at, last_camera_count)
       SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::int[])
       ON CONFLICT (video_system_id) DO UPDATE
         SET last_heartbeat_at = EXCLUDED.last_heartbeat_at, last_camera_count = EXCLUDED.last_camera_count
       WHERE vh.last_heartbeat_at IS NULL OR EXCLUDED.last_heartbeat_at > vh.last_heartbeat_at`,
      [sorted.map((b) => b.videoSystemId), sorted.map((b) => b.observedAt), sorted.map((b) => b.cameraCount)],
    );
  }

  /**
   * Locks the cameras whose status is about to change, in id order, so that status changes and
   * their events of one camera are serialised with each other and with edits of the camera.
   */
  async lockForStatusChange(manager: EntityManager, cameraIds: string[]): Promise<LockedCameraStatus[]> {
    if (cameraIds.length === 0) return [];
    return manager.query(
      `SELECT c.id AS "cameraId", c.region_code AS "regionCode", c.lifecycle, c.status,
              COALESCE(h.raw_status, 'unknown') AS "rawStatus", h.raw_changed_at AS "rawChangedAt",
              h.held_since AS "heldSince"
         FROM cameras c LEFT JOIN camera_health h ON h.camera_id = c.id
        WHERE c.id = ANY($1::uuid[])
        ORDER BY c.id
          FOR UPDATE OF c`,
      [cameraIds],
    );
  }

  /** Transitions recorded per camera after the given instant (exclusive). */
  async transitionsSince(
    manager: EntityManager,
    since: { cameraId: string; after: Date }[],
  ): Promise<Map<string, number>> {
    if (since.length === 0) return new Map();
    const rows: { cameraId: string; n: number }[] = await manager.query(
      `SELECT s.camera_id AS "cameraId", count(sh.id)::int AS n
         FROM unnest($1::uuid[], $2::timestamptz[]) AS s(camera_id, after)
         LEFT JOIN camera_status_history sh ON sh.camera_id = s.camera_id AND sh.changed_at > s.after
        GROUP BY s.camera_id`,
      [since.map((s) => s.cameraId), since.map((s) => s.after)],
    );
    return new Map(rows.map((r) => [r.cameraId, r.n]));
  }

  async appendHistory(manager: EntityManager, rows: HistoryRow[]): Promise<void> {
    if (rows.length === 0) return;
    await manager.query(
      `INSERT INTO camera_status_history (camera_id, changed_at, status, previous_status, cause, published)
       SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::boolean[])`,
      [
        rows.map((r) => r.cameraId),
        rows.map((r) => r.changedAt),
        rows.map((r) => r.status),
        rows.map((r) => r.previousStatus),
        rows.map((r) => r.cause),
        rows.map((r) => r.published),
      ],
    );
  }

  async setObservedStatus(
    manager: EntityManager,
    rows: {
      cameraId: string;
      rawStatus: CameraStatusName;
      rawChangedAt: Date | null;
      heldSince: Date | null;
    }[],
  ): Promise<void> {
    if (rows.length === 0) return;
    await manager.query(
      `INSERT INTO camera_health AS h (camera_id, raw_status, raw_changed_at, held_since)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::timestamptz[])
       ON CONFLICT (camera_id) DO UPDATE
         SET raw_status = EXCLUDED.raw_status, raw_changed_at = EXCLUDED.raw_changed_at,
             held_since = EXCLUDED.held_since`,
      [
        rows.map((r) => r.cameraId),
        rows.map((r) => r.rawStatus),
        rows.map((r) => r.rawChangedAt),
        rows.map((r) => r.heldSince),
      ],
    );
  }

  async setPublishedStatus(
    manager: EntityManager,
    rows: { cameraId: string; status: CameraStatusName }[],
  ): Promise<void> {
    if (rows.length === 0) return;
    await manager.query(
      `UPDATE cameras c SET status = u.status
         FROM unnest($1::uuid[], $2::text[]) AS u(id, status)
        WHERE c.id = u.id`,
      [rows.map((r) => r.cameraId), rows.map((r) => r.status)],
    );
  }

  /** Only one instance's detector works at a time; the lock ends with the transaction. */
  async tryDetectorLock(manager: EntityManager): Promise<boolean> {
    const [{ locked }] = await manager.query('SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked', [
      `camera-health-detector:${CAMERA_REGISTRY_SCHEMA}`,
    ]);
    return locked;
  }

  /**
   * Online cameras silent past interval × missed heartbeats, with the instant that happened.
   * `monitoringSince` keeps a restarted service from blaming cameras for heartbeats it could not
   * receive while it was down. Rows a heartbeat is writing right now are skipped, not waited for.
   */
  async lockSilentCameras(
    manager: EntityManager,
    p: {
      now: Date;
      monitoringSince: Date;
      missedHeartbeats: number;
      defaultIntervalSeconds: number;
      limit: number;
    },
  ): Promise<{ cameraId: string; silentSince: Date }[]> {
    const deadline = (from: string) => `${from} + make_interval(secs => ${INTERVAL_OF('$4')} * $3)`;
    return manager.query(
      `SELECT h.camera_id AS "cameraId",
              GREATEST(${deadline('h.last_heartbeat_at')}, h.raw_changed_at) AS "silentSince"
         FROM camera_health h
         JOIN cameras c ON c.id = h.camera_id
         LEFT JOIN video_system_health vh ON vh.video_system_id = c.video_system_id
        WHERE h.raw_status = 'online'
          AND c.lifecycle <> 'decommissioned'
          AND ${deadline('GREATEST(h.last_heartbeat_at, $2)')} <= $1
        ORDER BY h.camera_id
        LIMIT $5
          FOR UPDATE OF h SKIP LOCKED`,
      [p.now, p.monitoringSince, p.missedHeartbeats, p.defaultIntervalSeconds, p.limit],
    );
  }

  /** Decommissioned cameras that still have an observed or published status other than unknown. */
  async lockUnmonitoredCameras(manager: EntityManager, limit: number): Promise<string[]> {
    const rows: { cameraId: string }[] = await manager.query(
      `SELECT h.camera_id AS "cameraId"
         FROM camera_health h JOIN cameras c ON c.id = h.camera_id
        WHERE c.lifecycle = 'decommissioned'
          AND (h.raw_status <> 'unknown' OR c.status <> 'unknown' OR h.held_since IS NOT NULL)
        ORDER BY h.camera_id
        LIMIT $1
          FOR UPDATE OF h SKIP LOCKED`,
      [limit],
    );
    return rows.map((r) => r.cameraId);
  }

  /** Held cameras whose observed status has not changed for the hold-down period. */
  async lockStableHeldCameras(manager: EntityManager, stableSince: Date, limit: number): Promise<string[]> {
    const rows: { cameraId: string }[] = await manager.query(
      `SELECT camera_id AS "cameraId" FROM camera_health
        WHERE held_since IS NOT NULL AND raw_changed_at <= $1
        ORDER BY camera_id
        LIMIT $2
          FOR UPDATE SKIP LOCKED`,
      [stableSince, limit],
    );
    return rows.map((r) => r.cameraId);
  }

  async cameraHealth(
    manager: EntityManager,
    cameraId: string,
    regions: RegionFilter,
  ): Promise<CameraHealthRow | null> {
    const rows: CameraHealthRow[] = await manager.query(
      `SELECT c.id AS "cameraId", c.video_system_id AS "videoSystemId", c.region_code AS "regionCode",
              c.lifecycle, c.status, COALESCE(h.raw_status, 'unknown') AS "rawStatus",
              h.raw_changed_at AS "rawChangedAt", h.held_since AS "heldSince",
              h.last_heartbeat_at AS "lastHeartbeatAt", h.condition, h.detail,
              h.expected_interval_s AS "cameraIntervalSeconds",
              vh.heartbeat_interval_s AS "systemIntervalSeconds"
         FROM cameras c
         LEFT JOIN camera_health h ON h.camera_id = c.id
         LEFT JOIN video_system_health vh ON vh.video_system_id = c.video_system_id
        WHERE c.id = $1 AND ($2::text[] IS NULL OR c.region_code = ANY($2::text[]))`,
      [cameraId, regions],
    );
    return rows[0] ?? null;
  }

  async videoSystemHealth(
    manager: EntityManager,
    videoSystemId: string,
    regions: RegionFilter,
  ): Promise<VideoSystemHealthRow | null> {
    const rows: VideoSystemHealthRow[] = await manager.query(
      `SELECT v.id, v.status, vh.heartbeat_interval_s AS "intervalSeconds",
              vh.last_heartbeat_at AS "lastHeartbeatAt", vh.last_camera_count AS "lastCameraCount",
              s.total, s.online, s.offline, s.unknown, s.flapping, s.degraded, s.fault
         FROM video_systems v
         LEFT JOIN video_system_health vh ON vh.video_system_id = v.id
         CROSS JOIN LATERAL (
           SELECT count(*)::int AS total,
                  count(*) FILTER (WHERE c.status = 'online')::int AS online,
                  count(*) FILTER (WHERE c.status = 'offline')::int AS offline,
                  count(*) FILTER (WHERE c.status = 'unknown')::int AS unknown,
                  count(*) FILTER (WHERE h.held_since IS NOT NULL)::int AS flapping,
                  count(*) FILTER (WHERE h.raw_status = 'online' AND h.condition = 'degraded')::int AS degraded,
                  count(*) FILTER (WHERE h.condition = 'fault')::int AS fault
             FROM cameras c LEFT JOIN camera_health h ON h.camera_id = c.id
            WHERE c.video_system_id = v.id AND c.lifecycle <> 'decommissioned'
         ) s
        WHERE v.id = $1 AND ($2::text[] IS NULL OR v.region_code = ANY($2::text[]))`,
      [videoSystemId, regions],
    );
    return rows[0] ?? null;
  }

  async setCameraInterval(manager: EntityManager, cameraId: string, seconds: number | null): Promise<void> {
    await manager.query(
      `INSERT INTO camera_health (camera_id, expected_interval_s) VALUES ($1, $2)
       ON CONFLICT (camera_id) DO UPDATE SET expected_interval_s = EXCLUDED.expected_interval_s`,
      [cameraId, seconds],
    );
  }

  async setSystemInterval(manager: EntityManager, videoSystemId: string, seconds: number): Promise<void> {
    await manager.query(
      `INSERT INTO video_system_health (video_system_id, heartbeat_interval_s) VALUES ($1, $2)
       ON CONFLICT (video_system_id) DO UPDATE SET heartbeat_interval_s = EXCLUDED.heartbeat_interval_s`,
      [videoSystemId, seconds],
    );
  }

  /** The status at `at` (the last transition at or before it) and the transitions up to `until`. */
  async statusTimeline(
    manager: EntityManager,
    cameraId: string,
    at: Date,
    until: Date,
  ): Promise<{ initial: CameraStatusName; transitions: { at: Date; status: CameraStatusName }[] }> {
    const [before] = (await manager.query(
      `SELECT status FROM camera_status_history
        WHERE camera_id = $1 AND changed_at <= $2
        ORDER BY changed_at DESC, id DESC LIMIT 1`,
      [cameraId, at],
    )) as { status: CameraStatusName }[];
    const transitions: { at: Date; status: CameraStatusName }[] = await manager.query(
      `SELECT changed_at AS at, status FROM camera_status_history
        WHERE camera_id = $1 AND changed_at > $2 AND changed_at < $3
        ORDER BY changed_at, id`,
      [cameraId, at, until],
    );
    return { initial: before?.status ?? 'unknown', transitions };
  }
}
