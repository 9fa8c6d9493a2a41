import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

export const UNIT_KINDS = ['patrol', 'fire', 'ambulance', 'rescue'] as const;
export const UNIT_STATUSES = ['available', 'dispatched', 'on-scene', 'off-duty'] as const;
export type UnitStatus = (typeof UNIT_STATUSES)[number];

export interface Unit {
  id: string;
  regionCode: string;
  callSign: string;
  kind: string;
  status: UnitStatus;
  lat: number | null;
  lon: number | null;
  positionAt: Date | null;
  operationsCenterId: string | null;
  currentIncidentId: string | null;
  updatedAt: Date;
}

const COLUMNS = `id, region_code AS "regionCode", call_sign AS "callSign", kind, status, lat, lon,
  position_at AS "positionAt", operations_center_id AS "operationsCenterId",
  current_incident_id AS "currentIncidentId", updated_at AS "updatedAt"`;

/** Patrol, fire and ambulance crews, their status and last known position. */
@Injectable()
export class UnitsRepository {
  async insert(
    m: EntityManager,
    unit: { regionCode: string; callSign: string; kind: string; operationsCenterId: string | null },
  ): Promise<Unit | null> {
    const rows = (await m.query(
      `INSERT INTO units (id, region_code, call_sign, kind, operations_center_id) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (region_code, call_sign) DO NOTHING RETURNING ${COLUMNS}`,
      [randomUUID(), unit.regionCode, unit.callSign, unit.kind, unit.operationsCenterId],
    )) as Unit[];
    return rows[0] ?? null;
  }

  async findById(m: EntityManager, id: string, forUpdate = false): Promise<Unit | null> {
    const rows = (await m.query(
      `SELECT ${COLUMNS} FROM units WHERE id = $1 ${forUpdate ? 'FOR UPDATE' : ''}`,
      [id],
    )) as Unit[];
    return rows[0] ?? null;
  }

  async update(
    m: EntityManager,
    id: string,
    change: {
      status?: UnitStatus;
      position?: { lat: number; lon: number };
      currentIncidentId?: string | null;
    },
  ): Promise<Unit> {
    const [rows] = (await m.query(
      `UPDATE units SET status = coalesce($2, status),
         lat = CASE WHEN $3::float8 IS NULL THEN lat ELSE $3 END,
         lon = CASE WHEN $4::float8 IS NULL THEN lon ELSE $4 END,
         position_at = CASE WHEN $3::float8 IS NULL THEN position_at ELSE now() END,
         current_incident_id = CASE WHEN $5::boolean THEN $6::uuid ELSE current_incident_id END,
         updated_at = now()
       WHERE id = $1 RETURNING ${COLUMNS}`,
      [
        id,
        change.status ?? null,
        change.position?.lat ?? null,
        change.position?.lon ?? null,
        change.currentIncidentId !== undefined,
        change.currentIncidentId ?? null,
      ],
    )) as [Unit[], number];
    return rows[0];
  }

  /** Units in the regions, available ones nearest to `near` first when given. */
  async list(
    m: EntityManager,
    regions: readonly string[] | null,
    filter: { status?: string; regionCode?: string; near?: { lat: number; lon: number } },
  ): Promise<Unit[]> {
    return (await m.query(
      `SELECT ${COLUMNS} FROM units
        WHERE ($1::text[] IS NULL OR region_code = ANY($1::text[])) AND ($2::text IS NULL OR status = $2)
          AND ($3::text IS NULL OR region_code = $3)
        ORDER BY CASE WHEN $4::float8 IS NULL OR lat IS NULL THEN NULL
                      ELSE power(lat - $4, 2) + power((lon - $5) * cos(radians($4)), 2) END NULLS LAST, call_sign
        LIMIT 500`,
      [
        regions ? [...regions] : null,
        filter.status ?? null,
        filter.regionCode ?? null,
        filter.near?.lat ?? null,
        filter.near?.lon ?? null,
      ],
    )) as Unit[];
  }

  /** The unit sent to an incident is on its scene (if it is still the incident's unit). */
  async arriveAt(m: EntityManager, unitId: string, incidentId: string): Promise<void> {
    await m.query(
      `UPDATE units SET status = 'on-scene', updated_at = now() WHERE id = $1 AND current_incident_id = $2`,
      [unitId, incidentId],
    );
  }

  /** The unit working on an incident goes back to available once the incident no longer needs it. */
  async releaseFrom(m: EntityManager, incidentId: string): Promise<void> {
    await m.query(
      `UPDATE units SET status = 'available', current_incident_id = NULL, updated_at = now()
        WHERE current_incident_id = $1`,
      [incidentId],
    );
  }
}
