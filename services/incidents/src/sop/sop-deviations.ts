import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { IncidentRecord } from '../incidents/incident.model';
import { skippedSteps, type SopStep } from './checklist';

export const SOP_COLUMNS = `id, category, region_code AS "regionCode", version, steps, edited_by AS "editedBy",
  edited_at AS "editedAt"`;

export type SopRow = {
  id: string;
  category: number;
  /** Null for the national checklist; a region's own version otherwise. */
  regionCode: string | null;
  version: number;
  steps: SopStep[];
  editedBy: string;
  editedAt: Date;
};

/** The SOP checklist an incident follows, the steps done and the deviations recorded. */
@Injectable()
export class SopDeviations {
  /** Called as an incident is resolved: every step never done is a skipped-step deviation. */
  async recordSkippedAtResolution(m: EntityManager, incident: IncidentRecord, actor: string): Promise<void> {
    if (!incident.sopId) return;
    const sop = await this.sopOf(m, incident.sopId);
    const done = await this.doneSteps(m, incident.id);
    const already = new Set(
      (
        (await m.query(`SELECT step_id FROM sop_deviations WHERE incident_id = $1 AND kind = 'skipped'`, [
          incident.id,
        ])) as { step_id: string }[]
      ).map((r) => r.step_id),
    );
    const skipped = skippedSteps(sop.steps, new Set(done.keys())).filter((id) => !already.has(id));
    await this.record(m, incident, skipped, 'skipped', actor);
  }

  async record(
    m: EntityManager,
    incident: IncidentRecord,
    stepIds: string[],
    kind: 'out-of-order' | 'skipped',
    actor: string,
  ) {
    if (stepIds.length === 0) return;
    await m.query(
      `INSERT INTO sop_deviations (incident_id, region_code, sop_id, sop_version, step_id, kind, actor)
       SELECT $1, $2, $3, $4, s, $6, $7 FROM unnest($5::text[]) AS s`,
      [incident.id, incident.regionCode, incident.sopId, incident.sopVersion, stepIds, kind, actor],
    );
  }

  async sopOf(m: EntityManager, id: string): Promise<SopRow> {
    const [row] = (await m.query(`SELECT ${SOP_COLUMNS} FROM sops WHERE id = $1`, [id])) as SopRow[];
    return row;
  }

  async doneSteps(m: EntityManager, incidentId: string) {
    const rows = (await m.query(
      `SELECT step_id AS "stepId", done_by AS "doneBy", done_at AS "doneAt", note FROM incident_sop_steps
        WHERE incident_id = $1`,
      [incidentId],
    )) as { stepId: string; doneBy: string; doneAt: Date; note: string }[];
    return new Map(
      rows.map((r) => [r.stepId, { by: r.doneBy, at: new Date(r.doneAt).toISOString(), note: r.note }]),
    );
  }
}
