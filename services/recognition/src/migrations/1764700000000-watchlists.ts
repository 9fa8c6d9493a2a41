import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createAuditTable, enableRegionRowLevelSecurity } from '@safecity/security';
import { RECOGNITION_APP_ROLE } from '../schema';

/** Region-owned tables of matching: each sits behind row-level security as the application role. */
const REGION_TABLES = [
  'watchlists',
  'plate_hotlist_entries',
  'face_watchlist_entries',
  'face_templates',
  'matches',
  'match_verifications',
  'behaviour_rules',
  'behaviour_alerts',
  'false_positives',
];

/**
 * Watchlists (plate hotlists and face watchlists) with their entries and enrolled templates, the
 * change log instances follow to keep their in-memory indexes current, matches and their human
 * verifications, behaviour rules and alerts, false positives reported back by incidents, and the
 * audit log every read and change of them is recorded in.
 */
export class Watchlists1764700000000 implements MigrationInterface {
  name = 'Watchlists1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE recognition.watchlists (
        id           uuid PRIMARY KEY,
        kind         text NOT NULL CHECK (kind IN ('plate', 'face')),
        name         text NOT NULL,
        region_code  text NOT NULL,
        category     text,
        threshold    double precision CHECK (threshold IS NULL OR (threshold > 0 AND threshold <= 1)),
        legal_basis  text NOT NULL,
        owner        text NOT NULL,
        created_by   text NOT NULL,
        created_at   timestamptz NOT NULL DEFAULT now(),
        updated_at   timestamptz NOT NULL DEFAULT now(),
        CHECK (kind = 'plate' OR threshold IS NOT NULL)
      )`);
    await q.query(`CREATE INDEX watchlists_region_idx ON recognition.watchlists (region_code, kind, id)`);
    await q.query(`
      CREATE TABLE recognition.plate_hotlist_entries (
        id            uuid PRIMARY KEY,
        watchlist_id  uuid NOT NULL REFERENCES recognition.watchlists (id) ON DELETE CASCADE,
        region_code   text NOT NULL,
        plate         text NOT NULL,
        country       text NOT NULL DEFAULT '',
        reason        text NOT NULL,
        priority      int NOT NULL CHECK (priority BETWEEN 1 AND 4),
        legal_basis   text NOT NULL,
        owner         text NOT NULL,
        scope_regions text[],
        expires_at    timestamptz NOT NULL,
        created_by    text NOT NULL,
        created_at    timestamptz NOT NULL DEFAULT now(),
        updated_at    timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX plate_hotlist_entries_list_idx ON recognition.plate_hotlist_entries (watchlist_id, id)`,
    );
    await q.query(
      `CREATE INDEX plate_hotlist_entries_expiry_idx ON recognition.plate_hotlist_entries (expires_at)`,
    );
    await q.query(`
      CREATE TABLE recognition.face_watchlist_entries (
        id            uuid PRIMARY KEY,
        watchlist_id  uuid NOT NULL REFERENCES recognition.watchlists (id) ON DELETE CASCADE,
        region_code   text NOT NULL,
        subject_ref   text NOT NULL,
        legal_basis   text NOT NULL,
        owner         text NOT NULL,
        scope_regions text[],
        expires_at    timestamptz NOT NULL,
        created_by    text NOT NULL,
        created_at    timestamptz NOT NULL DEFAULT now(),
        updated_at    timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX face_watchlist_entries_list_idx ON recognition.face_watchlist_entries (watchlist_id, id)`,
    );
    await q.query(
      `CREATE INDEX face_watchlist_entries_expiry_idx ON recognition.face_watchlist_entries (expires_at)`,
    );
    // Enrolled templates are sealed (AES-256-GCM) by the service; the database never sees a vector.
    await q.query(`
      CREATE TABLE recognition.face_templates (
        id           uuid PRIMARY KEY,
        entry_id     uuid NOT NULL REFERENCES recognition.face_watchlist_entries (id) ON DELETE CASCADE,
        region_code  text NOT NULL,
        model        text NOT NULL,
        dimensions   int NOT NULL CHECK (dimensions BETWEEN 1 AND 4096),
        sealed       bytea NOT NULL,
        enrolled_by  text NOT NULL,
        enrolled_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX face_templates_entry_idx ON recognition.face_templates (entry_id)`);
    // Identifiers only: which entry or list changed. No region column, so every instance sees all.
    await q.query(`
      CREATE TABLE recognition.watchlist_changes (
        seq        bigserial PRIMARY KEY,
        kind       text NOT NULL CHECK (kind IN ('plate-entry', 'face-entry', 'watchlist')),
        object_id  uuid NOT NULL,
        changed_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await q.query(`CREATE INDEX watchlist_changes_time_idx ON recognition.watchlist_changes (changed_at)`);
    await q.query(`
      CREATE TABLE recognition.matches (
        id                     uuid PRIMARY KEY,
        kind                   text NOT NULL CHECK (kind IN ('plate', 'face')),
        detection_id           text NOT NULL,
        camera_id              uuid NOT NULL,
        video_system_id        uuid NOT NULL,
        region_code            text NOT NULL,
        observed_at            timestamptz NOT NULL,
        matched_at             timestamptz NOT NULL,
        status                 text NOT NULL,
        required_confirmations int NOT NULL,
        confirmations          int NOT NULL DEFAULT 0,
        watchlist_ids          uuid[] NOT NULL,
        entry_ids              uuid[] NOT NULL,
        detail                 bytea NOT NULL,
        updated_at             timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX matches_region_time_idx ON recognition.matches (region_code, matched_at DESC, id DESC)`,
    );
    await q.query(`CREATE INDEX matches_detection_idx ON recognition.matches (detection_id)`);
    await q.query(`
      CREATE TABLE recognition.match_verifications (
        match_id        uuid NOT NULL REFERENCES recognition.matches (id) ON DELETE CASCADE,
        region_code     text NOT NULL,
        actor_subject   text NOT NULL,
        actor_kind      text NOT NULL,
        actor_name      text,
        verdict         text NOT NULL CHECK (verdict IN ('confirmed', 'rejected')),
        plate_checked   boolean NOT NULL DEFAULT false,
        vehicle_checked boolean NOT NULL DEFAULT false,
        comment         text NOT NULL DEFAULT '',
        verified_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
        PRIMARY KEY (match_id, actor_subject)
      )`);
    await q.query(`
      CREATE TABLE recognition.behaviour_rules (
        id             uuid PRIMARY KEY,
        camera_id      uuid NOT NULL,
        region_code    text NOT NULL,
        behaviour      text NOT NULL,
        min_confidence double precision NOT NULL CHECK (min_confidence BETWEEN 0 AND 1),
        schedule       jsonb NOT NULL DEFAULT '[]',
        time_zone      text NOT NULL,
        zone           jsonb,
        severity       text NOT NULL,
        enabled        boolean NOT NULL DEFAULT true,
        version        int NOT NULL DEFAULT 1,
        created_by     text NOT NULL,
        created_at     timestamptz NOT NULL DEFAULT now(),
        updated_at     timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX behaviour_rules_camera_idx ON recognition.behaviour_rules (camera_id)`);
    await q.query(`
      CREATE TABLE recognition.behaviour_alerts (
        id           uuid PRIMARY KEY,
        detection_id text NOT NULL,
        rule_id      uuid NOT NULL,
        camera_id    uuid NOT NULL,
        region_code  text NOT NULL,
        behaviour    text NOT NULL,
        severity     text NOT NULL,
        observed_at  timestamptz NOT NULL,
        raised_at    timestamptz NOT NULL,
        detail       bytea NOT NULL
      )`);
    await q.query(
      `CREATE INDEX behaviour_alerts_region_idx ON recognition.behaviour_alerts (region_code, raised_at DESC)`,
    );
    await q.query(`
      CREATE TABLE recognition.false_positives (
        incident_id  uuid NOT NULL,
        source_kind  text NOT NULL CHECK (source_kind IN ('plate', 'face', 'behaviour')),
        source_id    uuid NOT NULL,
        region_code  text NOT NULL,
        camera_id    uuid NOT NULL,
        watchlist_id uuid,
        dismissed_at timestamptz NOT NULL,
        recorded_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE UNIQUE INDEX false_positives_unique_idx
        ON recognition.false_positives (incident_id, source_id, COALESCE(watchlist_id, '00000000-0000-0000-0000-000000000000'))`);
    await q.query(`CREATE INDEX false_positives_camera_idx ON recognition.false_positives (camera_id)`);
    await q.query(`CREATE INDEX false_positives_watchlist_idx ON recognition.false_positives (watchlist_id)`);

    for (const table of REGION_TABLES) await enableRegionRowLevelSecurity(q, 'recognition', table);
    // Another migration of this schema may have created the audit log already.
    const [audit] = (await q.query(`SELECT to_regclass('recognition.audit_log') AS oid`)) as {
      oid: string | null;
    }[];
    if (!audit?.oid) await createAuditTable(q, 'recognition', RECOGNITION_APP_ROLE);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'false_positives',
      'behaviour_alerts',
      'behaviour_rules',
      'match_verifications',
      'matches',
      'watchlist_changes',
      'face_templates',
      'face_watchlist_entries',
      'plate_hotlist_entries',
      'watchlists',
    ]) {
      await q.query(`DROP TABLE IF EXISTS recognition.${table}`);
    }
  }
}
