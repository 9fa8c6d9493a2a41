import type { MigrationInterface, QueryRunner } from 'typeorm';
import { disableRegionRowLevelSecurity, enableRegionRowLevelSecurity } from '@safecity/security';

const REGION_OWNED = ['incident_sop_steps', 'sop_deviations', 'units', 'sla_escalations'];

/**
 * Standard operating procedures (versioned checklists per incident category) with the steps done
 * and deviations from them, patrol and emergency units, and SLA escalations.
 */
export class Operations1764000300000 implements MigrationInterface {
  name = 'Operations1764000300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE incidents.sops (
        id         uuid PRIMARY KEY,
        category   int NOT NULL,
        version    int NOT NULL,
        steps      jsonb NOT NULL,
        edited_by  text NOT NULL,
        edited_at  timestamptz NOT NULL DEFAULT now(),
        UNIQUE (category, version)
      )`);
    await q.query(`
      CREATE TABLE incidents.incident_sop_steps (
        incident_id uuid NOT NULL REFERENCES incidents.incidents (id) ON DELETE CASCADE,
        step_id     text NOT NULL,
        region_code text NOT NULL,
        done_by     text NOT NULL,
        done_at     timestamptz NOT NULL DEFAULT now(),
        note        text NOT NULL DEFAULT '',
        PRIMARY KEY (incident_id, step_id)
      )`);
    await q.query(`
      CREATE TABLE incidents.sop_deviations (
        id          bigserial PRIMARY KEY,
        incident_id uuid NOT NULL REFERENCES incidents.incidents (id) ON DELETE CASCADE,
        region_code text NOT NULL,
        sop_id      uuid NOT NULL,
        sop_version int NOT NULL,
        step_id     text NOT NULL,
        kind        text NOT NULL CHECK (kind IN ('out-of-order', 'skipped')),
        actor       text NOT NULL,
        at          timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX sop_deviations_at_idx ON incidents.sop_deviations (at DESC)`);
    await q.query(`
      CREATE TABLE incidents.units (
        id                   uuid PRIMARY KEY,
        region_code          text NOT NULL,
        call_sign            text NOT NULL,
        kind                 text NOT NULL,
        status               text NOT NULL DEFAULT 'available',
        lat                  double precision,
        lon                  double precision,
        position_at          timestamptz,
        operations_center_id uuid,
        current_incident_id  uuid,
        updated_at           timestamptz NOT NULL DEFAULT now(),
        UNIQUE (region_code, call_sign)
      )`);
    await q.query(`
      CREATE TABLE incidents.sla_escalations (
        incident_id uuid NOT NULL REFERENCES incidents.incidents (id) ON DELETE CASCADE,
        stage       int NOT NULL,
        region_code text NOT NULL,
        priority    int NOT NULL,
        due_at      timestamptz NOT NULL,
        breached_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (incident_id, stage)
      )`);
    await q.query(
      `CREATE INDEX incidents_verify_due_idx ON incidents.incidents (verify_due_at) WHERE state = 1`,
    );
    await q.query(
      `CREATE INDEX incidents_dispatch_due_idx ON incidents.incidents (dispatch_due_at) WHERE state IN (1, 2)`,
    );
    for (const table of REGION_OWNED) await enableRegionRowLevelSecurity(q, 'incidents', table);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of REGION_OWNED) await disableRegionRowLevelSecurity(q, 'incidents', table);
    await q.query('DROP INDEX incidents.incidents_dispatch_due_idx');
    await q.query('DROP INDEX incidents.incidents_verify_due_idx');
    for (const table of ['sla_escalations', 'units', 'sop_deviations', 'incident_sop_steps', 'sops']) {
      await q.query(`DROP TABLE incidents.${table}`);
    }
  }
}
