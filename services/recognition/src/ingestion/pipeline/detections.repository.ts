import { Injectable } from '@nestjs/common';
import { recognition } from '@safecity/contracts';
import { RegionAccess, RegionScope } from '@safecity/security';
import type { EntityManager } from 'typeorm';

export interface DetectionRow {
  detection: recognition.Detection;
  /** Null for events that never change. */
  revisedAt: Date | null;
  /** `detection` already encoded (ingestion encodes once for the row and its event). */
  payload?: Uint8Array;
}

export type StoreOutcome = 'inserted' | 'updated';

/** Normalised detections: short-lived metadata, stored as the protobuf they were published as. */
@Injectable()
export class DetectionsRepository {
  constructor(private readonly access: RegionAccess) {}

  /**
   * Stores a batch in one statement. A detection already stored is changed only by a later
   * revision (a vendor's update); a redelivery changes nothing and is absent from the answer.
   *
   * The columns go as array literals written here and the payloads as one binary parameter cut
   * by offsets: node-postgres would otherwise escape every element and send every payload as hex,
   * which costs more than the rest of the batch's work on this path.
   */
  async store(manager: EntityManager, rows: readonly DetectionRow[]): Promise<Map<string, StoreOutcome>> {
    if (rows.length === 0) return new Map();
    const payloads = rows.map(
      ({ detection, payload }) => payload ?? recognition.Detection.encode(detection).finish(),
    );
    const ids: string[] = [];
    const kinds: number[] = [];
    const cameras: string[] = [];
    const systems: string[] = [];
    const regions: string[] = [];
    const vendors: string[] = [];
    // Times as epoch milliseconds: ISO text would be formatted here and parsed again by PostgreSQL.
    const observed: number[] = [];
    const received: number[] = [];
    const revised: (number | 'NULL')[] = [];
    const offsets: number[] = [];
    const lengths: number[] = [];
    let offset = 1;
    rows.forEach(({ detection, revisedAt }, i) => {
      ids.push(detection.id);
      kinds.push(detection.kind);
      cameras.push(detection.cameraId);
      systems.push(arrayText(detection.videoSystemId));
      regions.push(arrayText(detection.regionCode));
      vendors.push(arrayText(detection.vendorEventId));
      observed.push(detection.observedAt!.getTime());
      received.push(detection.receivedAt!.getTime());
      revised.push(revisedAt ? revisedAt.getTime() : 'NULL');
      offsets.push(offset);
      lengths.push(payloads[i]!.length);
      offset += payloads[i]!.length;
    });
    const result: { id: string; inserted: boolean }[] = await manager.query(
      `INSERT INTO detections AS d (id, kind, camera_id, video_system_id, region_code, vendor_event_id,
         observed_at, received_at, revised_at, payload)
       SELECT r.id, r.kind, r.camera, r.system, r.region, r.vendor, to_timestamp(r.observed / 1000),
         to_timestamp(r.received / 1000), to_timestamp(r.revised / 1000),
         substring($10::bytea FROM r.offset_ FOR r.length_)
       FROM unnest($1::uuid[], $2::smallint[], $3::uuid[], $4::text[], $5::text[], $6::text[],
         $7::float8[], $8::float8[], $9::float8[], $11::int[], $12::int[])
         AS r(id, kind, camera, system, region, vendor, observed, received, revised, offset_, length_)
       ON CONFLICT (id) DO UPDATE SET kind = EXCLUDED.kind, camera_id = EXCLUDED.camera_id,
         observed_at = EXCLUDED.observed_at, revised_at = EXCLUDED.revised_at, payload = EXCLUDED.payload
       WHERE d.revised_at < EXCLUDED.revised_at
       RETURNING id, (xmax = 0) AS inserted`,
      [
        arrayLiteral(ids),
        arrayLiteral(kinds),
        arrayLiteral(cameras),
        arrayLiteral(systems),
        arrayLiteral(regions),
        arrayLiteral(vendors),
        arrayLiteral(observed),
        arrayLiteral(received),
        arrayLiteral(revised),
        Buffer.concat(payloads, offset - 1),
        arrayLiteral(offsets),
        arrayLiteral(lengths),
      ],
    );
    return new Map(result.map((r) => [r.id, r.inserted ? 'inserted' : 'updated']));
  }

  /** A detection in the scope's regions, or null (also once it has aged out). */
  async find(id: string, scope: RegionScope): Promise<recognition.Detection | null> {
    const rows: { payload: Buffer }[] = await this.access.run(scope, (manager) =>
      manager.query(
        `SELECT payload FROM detections WHERE id = $1 AND ($2::text[] IS NULL OR region_code = ANY($2::text[]))`,
        [id, scope.all ? null : [...scope.regions]],
      ),
    );
    return rows[0] ? recognition.Detection.decode(rows[0].payload) : null;
  }
}

/** A PostgreSQL array literal of elements already in their literal form. */
function arrayLiteral(elements: readonly (string | number)[]): string {
  return `{${elements.join(',')}}`;
}

/** A text element of an array literal: always quoted, so that no value reads as NULL or splits. */
export function arrayText(value: string): string {
  return `"${/["\\]/.test(value) ? value.replace(/["\\]/g, '\\$&') : value}"`;
}
