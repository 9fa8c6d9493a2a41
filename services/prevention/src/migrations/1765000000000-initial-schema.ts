import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createMessagingTables, dropMessagingTables } from '@safecity/messaging';

/**
 * Prevention cases and what hangs off them, the local read model of incidents (place and time
 * only), suggestions raised by repeat-incident rules, and per-region trigger settings.
 * Every table carries region_code so that row-level security can scope it.
 */
export class InitialSchema1765000000000 implements MigrationInterface {
  name = 'InitialSchema1765000000000';

  async up(q: QueryRunner): Promise<void> {
    // Personal data of people and families lives here only, and is erased after retention.
    await q.query(`
      CREATE TABLE prevention.subjects (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        region_code   text NOT NULL,
        kind          text NOT NULL CHECK (kind IN ('person', 'family', 'place', 'organization')),
        name          text,
        identifier    text,
        birth_date    date,
        address       text,
        address_key   text,
        lat           double precision,
        lon           double precision,
        notes         text,
        created_at    timestamptz NOT NULL DEFAULT now(),
        erased_at     timestamptz
      )`);
    await q.query(`CREATE INDEX subjects_address_idx ON prevention.subjects (region_code, address_key)`);
    await q.query(`
      CREATE TABLE prevention.case_numbers (
        region_code text NOT NULL,
        year        int NOT NULL,
        last        int NOT NULL,
        PRIMARY KEY (region_code, year)
      )`);
    await q.query(`
      CREATE TABLE prevention.cases (
        id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        number                text NOT NULL UNIQUE,
        region_code           text NOT NULL,
        district_code         text,
        subject_id            uuid NOT NULL REFERENCES prevention.subjects (id),
        category              text NOT NULL,
        legal_basis           text NOT NULL,
        risk_level            text,
        risk_rationale        text,
        risk_assessed_by      text,
        risk_assessed_at      timestamptz,
        owner_agency          text NOT NULL,
        responsible_officer   text NOT NULL,
        agencies              text[] NOT NULL DEFAULT '{}',
        status                text NOT NULL DEFAULT 'open',
        outcome               text,
        review_interval_days  int NOT NULL,
        next_review_at        timestamptz NOT NULL,
        review_flagged_at     timestamptz,
        review_flag_reason    text,
        triggered_at          timestamptz,
        suggestion_id         uuid,
        opened_by             text NOT NULL,
        opened_at             timestamptz NOT NULL DEFAULT now(),
        closed_at             timestamptz,
        updated_at            timestamptz NOT NULL DEFAULT now(),
        version               bigint NOT NULL DEFAULT 1
      )`);
    await q.query(`CREATE INDEX cases_region_idx ON prevention.cases (region_code, status, opened_at)`);
    await q.query(`CREATE INDEX cases_subject_idx ON prevention.cases (subject_id)`);
    await q.query(`
      CREATE TABLE prevention.risk_factors (
        id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        case_id            uuid NOT NULL REFERENCES prevention.cases (id),
        region_code        text NOT NULL,
        code               text NOT NULL,
        weight             text NOT NULL,
        source_incident_id text,
        identified_at      timestamptz NOT NULL DEFAULT now(),
        UNIQUE (case_id, code)
      )`);
    await q.query(`
      CREATE TABLE prevention.measures (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        case_id       uuid NOT NULL REFERENCES prevention.cases (id),
        region_code   text NOT NULL,
        kind          text NOT NULL,
        status        text NOT NULL DEFAULT 'planned',
        agency_code   text NOT NULL,
        assignee_id   text NOT NULL,
        description   text,
        due_at        timestamptz NOT NULL,
        completed_at  timestamptz,
        result        text,
        created_by    text NOT NULL,
        created_at    timestamptz NOT NULL DEFAULT now(),
        updated_at    timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX measures_case_idx ON prevention.measures (case_id)`);
    await q.query(
      `CREATE INDEX measures_due_idx ON prevention.measures (region_code, due_at) WHERE completed_at IS NULL`,
    );
    await q.query(`
      CREATE TABLE prevention.reviews (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        case_id       uuid NOT NULL REFERENCES prevention.cases (id),
        region_code   text NOT NULL,
        due_at        timestamptz NOT NULL,
        reviewed_at   timestamptz NOT NULL DEFAULT now(),
        reviewed_by   text NOT NULL,
        conclusion    text NOT NULL,
        next_review_at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE prevention.case_timeline (
        id           bigserial PRIMARY KEY,
        case_id      uuid NOT NULL REFERENCES prevention.cases (id),
        region_code  text NOT NULL,
        at           timestamptz NOT NULL DEFAULT now(),
        kind         text NOT NULL,
        actor        text NOT NULL,
        incident_id  text,
        details      jsonb NOT NULL DEFAULT '{}'
      )`);
    await q.query(`CREATE INDEX case_timeline_case_idx ON prevention.case_timeline (case_id, at)`);
    await q.query(`
      CREATE TABLE prevention.case_incidents (
        case_id      uuid NOT NULL REFERENCES prevention.cases (id),
        incident_id  text NOT NULL,
        region_code  text NOT NULL,
        occurred_at  timestamptz NOT NULL,
        linked_at    timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (case_id, incident_id)
      )`);
    await q.query(`CREATE INDEX case_incidents_incident_idx ON prevention.case_incidents (incident_id)`);
    // Place and time of incidents only: no titles, descriptions or people.
    await q.query(`
      CREATE TABLE prevention.incidents (
        id            text PRIMARY KEY,
        region_code   text NOT NULL,
        district_code text,
        category      int NOT NULL,
        state         int NOT NULL,
        occurred_at   timestamptz NOT NULL,
        lat           double precision,
        lon           double precision,
        address_key   text,
        version       bigint NOT NULL
      )`);
    await q.query(
      `CREATE INDEX incidents_region_time_idx ON prevention.incidents (region_code, occurred_at)`,
    );
    await q.query(
      `CREATE INDEX incidents_address_idx ON prevention.incidents (region_code, address_key, occurred_at)`,
    );
    await q.query(`
      CREATE TABLE prevention.suggestions (
        id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        region_code    text NOT NULL,
        district_code  text,
        rule_id        text NOT NULL,
        address        text,
        address_key    text NOT NULL,
        incident_ids   text[] NOT NULL,
        status         text NOT NULL DEFAULT 'pending',
        fired_at       timestamptz NOT NULL DEFAULT now(),
        decided_by     text,
        decided_at     timestamptz,
        decision_note  text,
        case_id        uuid
      )`);
    await q.query(
      `CREATE UNIQUE INDEX suggestions_one_pending_per_address ON prevention.suggestions (region_code, address_key) WHERE status = 'pending'`,
    );
    await q.query(`
      CREATE TABLE prevention.trigger_settings (
        region_code        text PRIMARY KEY,
        repeat_window_days int NOT NULL,
        repeat_threshold   int NOT NULL,
        updated_by         text NOT NULL,
        updated_at         timestamptz NOT NULL DEFAULT now()
      )`);
    await createMessagingTables(q, 'prevention');
  }

  async down(q: QueryRunner): Promise<void> {
    await dropMessagingTables(q, 'prevention');
    for (const table of [
      'trigger_settings',
      'suggestions',
      'incidents',
      'case_incidents',
      'case_timeline',
      'reviews',
      'measures',
      'risk_factors',
      'cases',
      'case_numbers',
      'subjects',
    ]) {
      await q.query(`DROP TABLE prevention.${table}`);
    }
  }
}
