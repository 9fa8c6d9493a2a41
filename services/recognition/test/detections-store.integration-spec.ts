import { randomUUID } from 'node:crypto';
import { recognition } from '@safecity/contracts';
import { UnitOfWork } from '@safecity/persistence';
import { RegionAccess } from '@safecity/security';
import { createTestDatabase } from '@safecity/testing';
import { DataSource } from 'typeorm';
import { migrateRecognition } from '../src/bootstrap';
import { detectionId } from '../src/ingestion/detection-id';
import { DetectionsRepository } from '../src/ingestion/pipeline/detections.repository';
import { encodeObservation } from '../src/ingestion/pipeline/observation-encoding';
import { recognitionDataSourceOptions } from '../src/recognition.module';

/** Vendor ids as vendors send them, including what array literals treat specially. */
const AWKWARD = ['plain-1', 'with "quotes"', 'back\\slash', 'comma,brace{}', 'NULL', ' padded ', 'ключ'];

function detection(vendorEventId: string, observedAt: Date): recognition.Detection {
  return {
    id: detectionId('vs-store', vendorEventId),
    kind: recognition.DetectionKind.DETECTION_KIND_PLATE,
    cameraId: randomUUID(),
    videoSystemId: 'vs "store"',
    regionCode: 'ALA',
    vendorEventId,
    observedAt,
    receivedAt: new Date('2026-11-25T10:00:00.001Z'),
    location: { lat: 43.2, lon: 76.9 },
    frameBox: null,
    media: [],
    plate: { text: '123ABC02', country: 'KZ', confidence: 0.9, vehicle: null, direction: 0 },
  };
}

describe('storing a batch of detections (real PostgreSQL)', () => {
  let db: { url: string; drop(): Promise<void> };
  let ds: DataSource;
  const repository = () => new DetectionsRepository(new RegionAccess(new UnitOfWork(ds)));
  const inTransaction = <T>(work: (m: import('typeorm').EntityManager) => Promise<T>) =>
    ds.transaction(async (m) => {
      await m.query(`SELECT set_config('app.regions', '*', true)`);
      return work(m);
    });

  beforeAll(async () => {
    db = await createTestDatabase('detstore');
    await migrateRecognition(db.url);
    ds = await new DataSource(recognitionDataSourceOptions(db.url, 'migrations')).initialize();
  });

  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  it('stores every column and the encoded payload as given, whatever the text holds', async () => {
    const observedAt = new Date('2026-11-25T09:59:58.123Z');
    const detections = AWKWARD.map((v) => detection(v, observedAt));
    const rows = detections.map((d, i) => ({
      detection: d,
      // Revised rows carry their revision; others a null one.
      revisedAt: i % 2 ? new Date(1764064800000 + i) : null,
      payload: encodeObservation(d).detection,
    }));
    const outcomes = await inTransaction((m) => repository().store(m, rows));
    expect([...outcomes.values()]).toEqual(AWKWARD.map(() => 'inserted'));
    const stored: {
      id: string;
      vendor_event_id: string;
      video_system_id: string;
      observed_at: Date;
      revised_at: Date | null;
      payload: Buffer;
    }[] = await ds.query(
      `SELECT id, vendor_event_id, video_system_id, observed_at, revised_at, payload FROM recognition.detections`,
    );
    for (const [i, d] of detections.entries()) {
      const row = stored.find((r) => r.id === d.id)!;
      expect(row.vendor_event_id).toBe(d.vendorEventId);
      expect(row.video_system_id).toBe('vs "store"');
      expect(row.observed_at.toISOString()).toBe('2026-11-25T09:59:58.123Z');
      expect(row.revised_at?.getTime() ?? null).toBe(rows[i]!.revisedAt?.getTime() ?? null);
      expect(recognition.Detection.decode(row.payload)).toEqual(d);
    }
  });

  it('answers nothing for a redelivery, and "updated" only for a later revision', async () => {
    const observedAt = new Date('2026-11-25T10:10:00Z');
    const d = detection('revised-event', observedAt);
    const at = (ms: number) => [{ detection: d, revisedAt: new Date(ms) }];
    expect([...(await inTransaction((m) => repository().store(m, at(1_000)))).values()]).toEqual([
      'inserted',
    ]);
    expect((await inTransaction((m) => repository().store(m, at(1_000)))).size).toBe(0);
    expect([...(await inTransaction((m) => repository().store(m, at(2_000)))).values()]).toEqual(['updated']);
    expect((await inTransaction((m) => repository().store(m, at(1_500)))).size).toBe(0);
  });
});
