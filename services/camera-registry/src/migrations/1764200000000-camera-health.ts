import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CameraHealth1764200000000 implements MigrationInterface {
  name = 'CameraHealth1764200000000';

  async up(q: QueryRunner): Promise<void> {
    // Intervals left NULL fall back to the service's default, so changing it reaches every camera
    // nobody configured.
    await q.query(`
      CREATE TABLE camera_registry.video_system_health (
        video_system_id      uuid PRIMARY KEY REFERENCES camera_registry.video_systems (id) ON DELETE CASCADE,
        heartbeat_interval_s integer CHECK (heartbeat_interval_s BETWEEN 5 AND 86400),
        last_heartbeat_at    timestamptz,
        last_camera_count    integer
      )`);
    // Rewritten by every heartbeat: kept apart from the wide, heavily indexed cameras rows, none of
    // the columns a heartbeat writes is indexed, and the free space per page lets those updates
    // stay HOT (no index writes, no bloat of the cameras table).
    await q.query(`
      CREATE TABLE camera_registry.camera_health (
        camera_id           uuid PRIMARY KEY REFERENCES camera_registry.cameras (id) ON DELETE CASCADE,
        expected_interval_s integer CHECK (expected_interval_s BETWEEN 5 AND 86400),
        last_heartbeat_at   timestamptz,
        condition           text CHECK (condition IN ('ok', 'degraded', 'fault')),
        detail              text,
        raw_status          text NOT NULL DEFAULT 'unknown' CHECK (raw_status IN ('unknown', 'online', 'offline')),
        raw_changed_at      timestamptz,
        held_since          timestamptz
      ) WITH (fillfactor = 80)`);
    await q.query(`
      CREATE INDEX camera_health_held_idx ON camera_registry.camera_health (raw_changed_at)
        WHERE held_since IS NOT NULL`);
    // One row per observed transition, never per heartbeat: uptime is computed from these intervals.
    await q.query(`
      CREATE TABLE camera_registry.camera_status_history (
        id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        camera_id       uuid NOT NULL REFERENCES camera_registry.cameras (id) ON DELETE CASCADE,
        changed_at      timestamptz NOT NULL,
        status          text NOT NULL CHECK (status IN ('unknown', 'online', 'offline')),
        previous_status text NOT NULL CHECK (previous_status IN ('unknown', 'online', 'offline')),
        cause           text NOT NULL CHECK (cause IN ('heartbeat', 'fault', 'silence', 'unmonitored')),
        published       boolean NOT NULL
      )`);
    await q.query(`
      CREATE INDEX camera_status_history_camera_idx
        ON camera_registry.camera_status_history (camera_id, changed_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE camera_registry.camera_status_history');
    await q.query('DROP TABLE camera_registry.camera_health');
    await q.query('DROP TABLE camera_registry.video_system_health');
  }
}
