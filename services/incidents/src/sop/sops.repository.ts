import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { SopStep } from './checklist';
import { SOP_COLUMNS, type SopRow } from './sop-deviations';

/** A step done out of order, or never done by resolution, on an incident's checklist. */
export interface SopDeviationEntry {
  incidentId: string;
  number: string;
  regionCode: string;
  sopVersion: number;
  stepId: string;
  kind: 'out-of-order' | 'skipped';
  actor: string;
  at: Date;
}

/** Checklists, the steps done on incidents and the deviations, in the transaction handed in. */
@Injectable()
export class SopsRepository {
  /**
   * The next version of the national checklist (`regionCode` null) or of a region's own, numbered
   * under a lock so that two editors never publish the same version.
   */
  async publish(
    m: EntityManager,
    category: number,
    regionCode: string | null,
    steps: Pick<SopStep, 'id' | 'title'>[],
    editor: string,
  ): Promise<SopRow> {
    await m.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`sop:${category}:${regionCode ?? '*'}`]);
    const [row] = (await m.query(
      `INSERT INTO sops (id, category, region_code, version, steps, edited_by)
       SELECT $1, $2, $5::text, coalesce(max(version), 0) + 1, $3::jsonb, $4 FROM sops
        WHERE category = $2 AND region_code IS NOT DISTINCT FROM $5::text
       RETURNING ${SOP_COLUMNS}`,
      [
        randomUUID(),
        category,
        JSON.stringify(steps.map((s) => ({ id: s.id, title: s.title }))),
        editor,
        regionCode,
      ],
    )) as SopRow[];
    return row;
  }

  /** The region's own latest version, or else the national one (`regionCode` null: national only). */
  async latest(m: EntityManager, category: number, regionCode: string | null): Promise<SopRow | null> {
    const [row] = (await m.query(
      `SELECT ${SOP_COLUMNS} FROM sops
        WHERE category = $1 AND (region_code IS NULL OR region_code = $2::text)
        ORDER BY region_code IS NULL, version DESC LIMIT 1`,
      [category, regionCode],
    )) as SopRow[];
    return row ?? null;
  }

  async completeStep(
    m: EntityManager,
    incident: { id: string; regionCode: string },
    stepId: string,
    doneBy: string,
    note: string,
  ): Promise<void> {
    await m.query(
      `INSERT INTO incident_sop_steps (incident_id, step_id, region_code, done_by, note) VALUES ($1, $2, $3, $4, $5)`,
      [incident.id, stepId, incident.regionCode, doneBy, note],
    );
  }

  async deviationsOf(m: EntityManager, incidentId: string) {
    return (await m.query(
      `SELECT step_id AS "stepId", kind, actor, at FROM sop_deviations WHERE incident_id = $1 ORDER BY id`,
      [incidentId],
    )) as Pick<SopDeviationEntry, 'stepId' | 'kind' | 'actor' | 'at'>[];
  }

  /** Deviations of these regions (null: all), newest first. */
  async latestDeviations(
    m: EntityManager,
    regions: string[] | null,
    limit = 100,
  ): Promise<SopDeviationEntry[]> {
    return (await m.query(
      `SELECT d.incident_id AS "incidentId", i.number, d.region_code AS "regionCode", d.sop_version AS "sopVersion",
              d.step_id AS "stepId", d.kind, d.actor, d.at
         FROM sop_deviations d JOIN incidents i ON i.id = d.incident_id
        WHERE ($1::text[] IS NULL OR d.region_code = ANY($1::text[]))
        ORDER BY d.at DESC, d.id DESC LIMIT $2`,
      [regions, limit],
    )) as SopDeviationEntry[];
  }
}
