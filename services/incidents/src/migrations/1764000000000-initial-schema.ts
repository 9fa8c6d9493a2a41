import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createMessagingTables, dropMessagingTables } from '@safecity/messaging';

/**
 * Incidents, the sources and evidence that led to them, their lifecycle history, the
 * confirmations human oversight requires, the per-change sequence the live stream resumes from,
 * and the local copy of the cameras (place and tags) that correlation and priority need.
 */
export class InitialSchema1764000000000 implements MigrationInterface {
  name = 'InitialSchema1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE incidents.camera_directory (
        id            uuid PRIMARY KEY,
        region_code   text NOT NULL,
        district_code text,
        name          text NOT NULL,
        address       text NOT NULL DEFAULT '',
        lat           double precision NOT NULL,
        lon           double precision NOT NULL,
        tags          text[] NOT NULL DEFAULT '{}',
        status        int NOT NULL DEFAULT 0,
        version       bigint NOT NULL
      )`);
    await q.query(`CREATE SEQUENCE incidents.incident_number_seq`);
    await q.query(`
      CREATE TABLE incidents.incidents (
        id                     uuid PRIMARY KEY,
        number                 text NOT NULL UNIQUE,
        region_code            text NOT NULL,
        district_code          text,
        category               int NOT NULL,
        priority               int NOT NULL,
        state                  int NOT NULL,
        source_kind            int NOT NULL,
        title                  text NOT NULL,
        description            text NOT NULL DEFAULT '',
        lat                    double precision,
        lon                    double precision,
        address                text NOT NULL DEFAULT '',
        camera_id              uuid,
        correlation_key        text,
        last_seen_at           timestamptz NOT NULL,
        confidence             double precision,
        watchlist_priority     int,
        place_tags             text[] NOT NULL DEFAULT '{}',
        required_confirmations int NOT NULL DEFAULT 1,
        visual_check_required  boolean NOT NULL DEFAULT false,
        resolution             int NOT NULL DEFAULT 0,
        operations_center_id   uuid,
        unit_id                uuid,
        assignee_id            text,
        assigned_at            timestamptz,
        verify_due_at          timestamptz,
        dispatch_due_at        timestamptz,
        breached_stages        int[] NOT NULL DEFAULT '{}',
        sop_id                 uuid,
        sop_version            int,
        occurred_at            timestamptz NOT NULL,
        created_at             timestamptz NOT NULL DEFAULT now(),
        updated_at             timestamptz NOT NULL DEFAULT now(),
        version                bigint NOT NULL DEFAULT 1,
        opened_by              text NOT NULL
      )`);
    // Correlation looks for the open incident of a key seen recently.
    await q.query(`
      CREATE INDEX incidents_open_correlation_idx ON incidents.incidents (correlation_key, last_seen_at DESC)
        WHERE correlation_key IS NOT NULL AND state IN (1, 2, 4, 5)`);
    await q.query(`CREATE INDEX incidents_listing_idx ON incidents.incidents (created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX incidents_region_state_idx ON incidents.incidents (region_code, state)`);
    await q.query(`
      CREATE TABLE incidents.incident_sources (
        kind               int NOT NULL,
        ref_id             text NOT NULL,
        incident_id        uuid NOT NULL REFERENCES incidents.incidents (id) ON DELETE CASCADE,
        region_code        text NOT NULL,
        camera_id          uuid,
        watchlist_id       text,
        watchlist_entry_id text,
        lat                double precision,
        lon                double precision,
        observed_at        timestamptz,
        confidence         double precision,
        media              jsonb NOT NULL DEFAULT '[]',
        details            jsonb NOT NULL DEFAULT '{}',
        added_at           timestamptz NOT NULL DEFAULT now(),
        -- One match, alert or report is evidence of one incident, once: a redelivered or re-sent
        -- event never adds a second row.
        PRIMARY KEY (kind, ref_id)
      )`);
    await q.query(
      `CREATE INDEX incident_sources_incident_idx ON incidents.incident_sources (incident_id, observed_at)`,
    );
    await q.query(`
      CREATE TABLE incidents.incident_history (
        id            bigserial PRIMARY KEY,
        incident_id   uuid NOT NULL REFERENCES incidents.incidents (id) ON DELETE CASCADE,
        region_code   text NOT NULL,
        from_state    int NOT NULL,
        to_state      int NOT NULL,
        actor_subject text NOT NULL,
        actor_kind    text NOT NULL,
        reason        text NOT NULL DEFAULT '',
        resolution    int NOT NULL DEFAULT 0,
        at            timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX incident_history_incident_idx ON incidents.incident_history (incident_id, id)`,
    );
    await q.query(`
      CREATE TABLE incidents.incident_confirmations (
        incident_id     uuid NOT NULL REFERENCES incidents.incidents (id) ON DELETE CASCADE,
        actor_subject   text NOT NULL,
        region_code     text NOT NULL,
        observed_plate  text,
        observed_make   text,
        observed_colour text,
        comment         text NOT NULL DEFAULT '',
        confirmed_at    timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (incident_id, actor_subject)
      )`);
    // seq is drawn under a lock held to commit (see IncidentChangeLog), so it grows in commit
    // order and a reader resuming after seq N can never miss a change committed later below N.
    await q.query(`
      CREATE TABLE incidents.incident_changes (
        seq         bigint PRIMARY KEY,
        incident_id uuid NOT NULL,
        region_code text NOT NULL,
        kind        int NOT NULL,
        changed_at  timestamptz NOT NULL DEFAULT now(),
        snapshot    jsonb NOT NULL
      )`);
    await q.query(`CREATE SEQUENCE incidents.incident_change_seq`);
    await createMessagingTables(q, 'incidents');
  }

  async down(q: QueryRunner): Promise<void> {
    await dropMessagingTables(q, 'incidents');
    for (const table of [
      'incident_changes',
      'incident_confirmations',
      'incident_history',
      'incident_sources',
      'incidents',
      'camera_directory',
    ]) {
      await q.query(`DROP TABLE incidents.${table}`);
    }
    await q.query('DROP SEQUENCE incidents.incident_change_seq');
    await q.query('DROP SEQUENCE incidents.incident_number_seq');
  }
}
