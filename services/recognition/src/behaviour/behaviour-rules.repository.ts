import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { updatedRows } from '../watchlists/watchlist';
import type { BehaviourRule } from './behaviour-rule';

const COLUMNS = `id, camera_id AS "cameraId", region_code AS "regionCode", behaviour, min_confidence AS "minConfidence",
  schedule, time_zone AS "timeZone", zone, severity, enabled, version, created_by AS "createdBy",
  created_at AS "createdAt", updated_at AS "updatedAt"`;

export type RuleValues = Pick<
  BehaviourRule,
  'behaviour' | 'minConfidence' | 'schedule' | 'timeZone' | 'zone' | 'severity' | 'enabled'
>;

@Injectable()
export class BehaviourRulesRepository {
  async insert(
    m: EntityManager,
    rule: RuleValues & { id: string; cameraId: string; regionCode: string; createdBy: string },
  ): Promise<BehaviourRule> {
    const rows: BehaviourRule[] = await m.query(
      `INSERT INTO behaviour_rules (id, camera_id, region_code, behaviour, min_confidence, schedule, time_zone, zone,
         severity, enabled, created_by)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8::jsonb, $9, $10, $11) RETURNING ${COLUMNS}`,
      [
        rule.id,
        rule.cameraId,
        rule.regionCode,
        rule.behaviour,
        rule.minConfidence,
        JSON.stringify(rule.schedule),
        rule.timeZone,
        rule.zone ? JSON.stringify(rule.zone) : null,
        rule.severity,
        rule.enabled,
        rule.createdBy,
      ],
    );
    return rows[0];
  }

  async update(m: EntityManager, id: string, v: RuleValues): Promise<BehaviourRule> {
    const result: unknown = await m.query(
      `UPDATE behaviour_rules SET min_confidence = $2, schedule = $3::jsonb, time_zone = $4, zone = $5::jsonb,
         severity = $6, enabled = $7, version = version + 1, updated_at = now()
       WHERE id = $1 RETURNING ${COLUMNS}`,
      [
        id,
        v.minConfidence,
        JSON.stringify(v.schedule),
        v.timeZone,
        v.zone ? JSON.stringify(v.zone) : null,
        v.severity,
        v.enabled,
      ],
    );
    return updatedRows<BehaviourRule>(result)[0];
  }

  async find(m: EntityManager, regions: readonly string[] | null, id: string): Promise<BehaviourRule | null> {
    const rows: BehaviourRule[] = await m.query(
      `SELECT ${COLUMNS} FROM behaviour_rules WHERE id = $1 AND ($2::text[] IS NULL OR region_code = ANY($2::text[]))`,
      [id, regions],
    );
    return rows[0] ?? null;
  }

  async ofCamera(
    m: EntityManager,
    regions: readonly string[] | null,
    cameraId: string,
  ): Promise<BehaviourRule[]> {
    return m.query(
      `SELECT ${COLUMNS} FROM behaviour_rules
       WHERE camera_id = $1 AND ($2::text[] IS NULL OR region_code = ANY($2::text[])) ORDER BY created_at, id`,
      [cameraId, regions],
    );
  }

  /** Enabled rules of these cameras, for one batch of detections. */
  async armed(m: EntityManager, cameraIds: readonly string[]): Promise<BehaviourRule[]> {
    return m.query(`SELECT ${COLUMNS} FROM behaviour_rules WHERE camera_id = ANY($1::uuid[]) AND enabled`, [
      cameraIds,
    ]);
  }

  async delete(m: EntityManager, id: string): Promise<void> {
    await m.query(`DELETE FROM behaviour_rules WHERE id = $1`, [id]);
  }
}
