import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { recognition } from '@safecity/contracts';
import { RegionScope, ScopedTransaction } from '@safecity/security';
import type { DataSource, EntityManager } from 'typeorm';
import { RECOGNITION_SCHEMA } from '../../schema';

export interface DetectionRow {
  detection: recognition.Detection;
  /** Null for events that never change. */
  revisedAt: Date | null;
}

export type StoreOutcome = 'inserted' | 'updated';

/** Normalised detections: short-lived metadata, stored as the protobuf they were published as. */
@Injectable()
export class DetectionsRepository {
  constructor(@InjectDataSource(RECOGNITION_SCHEMA) private readonly dataSource: DataSource) {}

  /**
   * Stores a batch in one statement. A detection already stored is changed only by a later
   * revision (a vendor's update); a redelivery changes nothing and is absent from the answer.
   */
  async store(manager: EntityManager, rows: readonly DetectionRow[]): Promise<Map<string, StoreOutcome>> {
    if (rows.length === 0) return new Map();
    const columns = {
      id: [] as string[],
      kind: [] as number[],
      camera: [] as string[],
      system: [] as string[],
      region: [] as string[],
      vendor: [] as string[],
      observed: [] as Date[],
      received: [] as Date[],
      revised: [] as (Date | null)[],
      payload: [] as Buffer[],
    };
    for (const { detection, revisedAt } of rows) {
      columns.id.push(detection.id);
      columns.kind.push(detection.kind);
      columns.camera.push(detection.cameraId);
      columns.system.push(detection.videoSystemId);
      columns.region.push(detection.regionCode);
      columns.vendor.push(detection.vendorEventId);
      columns.observed.push(detection.observedAt!);
      columns.received.push(detection.receivedAt!);
      columns.revised.push(revisedAt);
      columns.payload.push(Buffer.from(recognition.Detection.encode(detection).finish()));
    }
    const result: { id: string; inserted: boolean }[] = await manager.query(
      `INSERT INTO detections AS d (id, kind, camera_id, video_system_id, region_code, vendor_event_id,
         observed_at, received_at, revised_at, payload)
       SELECT * FROM unnest($1::uuid[], $2::smallint[], $3::uuid[], $4::text[], $5::text[], $6::text[],
         $7::timestamptz[], $8::timestamptz[], $9::timestamptz[], $10::bytea[])
       ON CONFLICT (id) DO UPDATE SET kind = EXCLUDED.kind, camera_id = EXCLUDED.camera_id,
         observed_at = EXCLUDED.observed_at, revised_at = EXCLUDED.revised_at, payload = EXCLUDED.payload
       WHERE d.revised_at < EXCLUDED.revised_at
       RETURNING id, (xmax = 0) AS inserted`,
      [
        columns.id,
        columns.kind,
        columns.camera,
        columns.system,
        columns.region,
        columns.vendor,
        columns.observed,
        columns.received,
        columns.revised,
        columns.payload,
      ],
    );
    return new Map(result.map((r) => [r.id, r.inserted ? 'inserted' : 'updated']));
  }

  /** A detection in the scope's regions, or null (also once it has aged out). */
  async find(id: string, scope: RegionScope): Promise<recognition.Detection | null> {
    const rows: { payload: Buffer }[] = await ScopedTransaction.run(this.dataSource, scope, ({ manager }) =>
      manager.query(
        `SELECT payload FROM detections WHERE id = $1 AND ($2::text[] IS NULL OR region_code = ANY($2::text[]))`,
        [id, scope.all ? null : [...scope.regions]],
      ),
    );
    return rows[0] ? recognition.Detection.decode(rows[0].payload) : null;
  }
}
