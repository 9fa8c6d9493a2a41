import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { grpcOptions, recognition, RecognitionGrpc, Topics } from '@safecity/contracts';
import { InProcessBus } from '@safecity/messaging';
import { RetentionJob } from '@safecity/security';
import { freeLoopbackPort } from '@safecity/persistence';
import type { RunningServiceApp } from '@safecity/service-kit';
import { createTestDatabase, createTestIdentity, eventually, type TestIdentity } from '@safecity/testing';
import { Client } from 'pg';
import request from 'supertest';
import { detectionId } from '../src/ingestion/detection-id';
import { DetectionIngestService } from '../src/ingestion/pipeline/detection-ingest.service';
import { DETECTION_ANALYSERS, FaceTemplateStore, type DetectionAnalyser } from '../src/pipeline';
import {
  createProbeTable,
  issueKey,
  ProbeAnalyser,
  publishCamera,
  startTestRecognition,
  testCamera,
} from './support';

function templateBase64(dims: number, seed = 1): string {
  const vector = new Float32Array(dims).map((_, i) => Math.sin(i + seed));
  return Buffer.from(vector.buffer).toString('base64');
}

describe('canonical ingestion over HTTP on real PostgreSQL', () => {
  let db: { url: string; drop(): Promise<void> };
  let identity: TestIdentity;
  let service: RunningServiceApp;
  let bus: InProcessBus;
  let pg: Client;
  let key: string;
  let probe: ProbeAnalyser;
  let grpcUrl: string;
  const camera = testCamera();
  const system = camera.videoSystemId;
  const decommissioned = testCamera({ videoSystemId: system, lifecycle: 4 });
  const foreign = testCamera({ videoSystemId: system, regionCode: 'AST' });
  let counter = 0;

  beforeAll(async () => {
    db = await createTestDatabase('ingest');
    identity = await createTestIdentity();
    bus = new InProcessBus();
    grpcUrl = `127.0.0.1:${await freeLoopbackPort()}`;
    service = await startTestRecognition(db.url, identity, { kind: 'in-process', bus }, { grpcUrl });
    pg = new Client({ connectionString: db.url });
    await pg.connect();
    await createProbeTable(pg);
    probe = new ProbeAnalyser(service.app.get(FaceTemplateStore));
    // First in line, so it sees the templates before the face analyser takes them.
    service.app.get<DetectionAnalyser[]>(DETECTION_ANALYSERS).unshift(probe);
    for (const c of [camera, decommissioned, foreign]) await publishCamera(bus, pg, c);
    key = await issueKey(service, system);
  });

  afterAll(async () => {
    await pg?.end();
    await service?.close();
    await db?.drop();
  });

  const ingest = () => request(service.httpUrl).post('/ingest/v1/detections').set('x-api-key', key);
  const plate = (over: Record<string, unknown> = {}) => ({
    vendorEventId: `evt-${++counter}`,
    cameraExternalId: camera.externalId,
    observedAt: new Date(Date.now() - 2_000).toISOString(),
    kind: 'plate',
    frameBox: { x: 0.5, y: 0.6, width: 0.1, height: 0.05 },
    media: [{ kind: 'plate-crop', uri: 'https://vms.almaty.example/snap/1.jpg', contentType: 'image/jpeg' }],
    plate: { text: '123 abc 02', country: 'KZ', confidence: 0.93, vehicle: { type: 'car', color: 'white' } },
    ...over,
  });
  const stored = async (id: string) =>
    (
      await pg.query(
        'SELECT payload, txid FROM recognition.detections d LEFT JOIN LATERAL (SELECT txid FROM recognition.analyser_probe p WHERE p.detection_id = d.id LIMIT 1) p ON true WHERE id = $1',
        [id],
      )
    ).rows[0];
  const outboxed = async (id: string) =>
    (await pg.query(`SELECT 1 FROM recognition.outbox WHERE event_id = $1`, [id])).rowCount! > 0 ||
    bus.read(Topics.Detections).some((r) => r.headers['ce_id'] === id);
  const analysedCount = async (id: string) =>
    Number(
      (await pg.query('SELECT count(*) FROM recognition.analyser_probe WHERE detection_id = $1', [id]))
        .rows[0].count,
    );

  it('accepts one canonical detection, stores it, publishes DetectionObserved and analyses it in the same transaction', async () => {
    const body = plate();
    const res = await ingest().send(body).expect(200);
    const id = detectionId(system, body.vendorEventId);
    expect(res.body).toMatchObject({
      received: 1,
      accepted: 1,
      duplicates: 0,
      detections: [{ id, outcome: 'accepted' }],
    });
    const row = await stored(id);
    const detection = recognition.Detection.decode(row.payload);
    expect(detection).toMatchObject({
      cameraId: camera.id,
      regionCode: 'ALA',
      plate: { text: '123ABC02', country: 'KZ' },
    });
    expect(detection.location).toEqual({ lat: 43.2383, lon: 76.9454 });
    // The probe's row was written by the transaction that stored the detection.
    const [{ xmin }] = (await pg.query('SELECT xmin::text FROM recognition.detections WHERE id = $1', [id]))
      .rows;
    expect(String(row.txid)).toBe(xmin);
    const published = bus.read(Topics.Detections).find((r) => r.headers['ce_id'] === id);
    const event =
      published ??
      (await eventually(() => bus.read(Topics.Detections).find((r) => r.headers['ce_id'] === id)));
    expect(event.key).toBe(camera.id);
    expect(event.headers['region']).toBe('ALA');
    expect(recognition.DetectionObserved.decode(event.value).detection?.id).toBe(id);
  });

  it('treats a re-sent event as the same detection: not stored, published or analysed twice', async () => {
    const body = plate();
    await ingest().send(body).expect(200);
    const again = await ingest().send(body).expect(200);
    expect(again.body).toMatchObject({ accepted: 0, duplicates: 1, detections: [{ outcome: 'duplicate' }] });
    const id = detectionId(system, body.vendorEventId);
    expect(await analysedCount(id)).toBe(1);
    await eventually(() => bus.read(Topics.Detections).some((r) => r.headers['ce_id'] === id));
    expect(bus.read(Topics.Detections).filter((r) => r.headers['ce_id'] === id)).toHaveLength(1);
  });

  it('drops decommissioned, foreign, masked and skewed detections with counted reasons', async () => {
    const detections = [
      plate(),
      plate({ cameraExternalId: decommissioned.externalId }),
      plate({ cameraExternalId: foreign.externalId }),
      plate({ frameBox: { x: 0.05, y: 0.05, width: 0.05, height: 0.05 } }),
      plate({ observedAt: new Date(Date.now() + 3_600_000).toISOString() }),
      plate({ observedAt: new Date(Date.now() - 3 * 86_400_000).toISOString() }),
    ];
    const res = await ingest().send({ detections }).expect(200);
    expect(res.body).toMatchObject({
      received: 6,
      accepted: 1,
      dropped: {
        'decommissioned-camera': 1,
        'unknown-camera': 1,
        'privacy-mask': 1,
        'observed-in-future': 1,
        'observed-too-long-ago': 1,
      },
    });
    expect(res.body.detections.map((d: { outcome: string }) => d.outcome)).toEqual([
      'accepted',
      'dropped',
      'dropped',
      'dropped',
      'dropped',
      'dropped',
    ]);
    const masked = detectionId(system, detections[3]!.vendorEventId as string);
    expect(await stored(masked)).toBeUndefined();
    const metrics = (await request(service.httpUrl).get('/metrics').expect(200)).text;
    expect(metrics).toMatch(
      /safecity_ingest_detections_dropped_total\{[^}]*adapter="canonical"[^}]*reason="privacy-mask"[^}]*\} 1/,
    );
    expect(metrics).toMatch(/safecity_ingest_detections_total\{[^}]*outcome="accepted"[^}]*\} \d+/);
  });

  it('moves a face template into the template store; only its reference is stored and published', async () => {
    const body = {
      vendorEventId: `face-${++counter}`,
      cameraExternalId: camera.externalId,
      observedAt: new Date().toISOString(),
      kind: 'face',
      frameBox: { x: 0.6, y: 0.3, width: 0.05, height: 0.08 },
      face: {
        template: templateBase64(512),
        templateModel: 'arcface-r100@1.2',
        quality: 0.8,
        confidence: 0.97,
      },
    };
    await ingest().send(body).expect(200);
    const id = detectionId(system, body.vendorEventId);
    const detection = recognition.Detection.decode((await stored(id)).payload);
    expect(detection.face?.templateRef).toMatch(/^tpl_/);
    expect(detection.face?.templateModel).toBe('arcface-r100@1.2');
    const taken = probe.templates.find((t) => t.ref === detection.face?.templateRef);
    expect(taken).toEqual({ ref: detection.face?.templateRef, dims: 512, model: 'arcface-r100@1.2' });
    // No trace of the vector anywhere in the database.
    const [{ size }] = (
      await pg.query('SELECT octet_length(payload) AS size FROM recognition.detections WHERE id = $1', [id])
    ).rows;
    expect(size).toBeLessThan(512);
    const event = await eventually(() => bus.read(Topics.Detections).find((r) => r.headers['ce_id'] === id));
    expect(event.value.length).toBeLessThan(512);
  });

  it('accepts protobuf batches', async () => {
    const submissions = [1, 2, 3].map((i) => ({
      vendorEventId: `pb-${++counter}-${i}`,
      cameraExternalId: camera.externalId,
      observedAt: new Date(),
      kind: recognition.DetectionKind.DETECTION_KIND_BEHAVIOUR,
      frameBox: null,
      media: [],
      behaviour: {
        type: recognition.BehaviourType.BEHAVIOUR_TYPE_LOITERING,
        confidence: 0.7,
        ruleName: 'bus stop',
        objectCount: 1,
        dwellSeconds: 120,
      },
    }));
    const bytes = Buffer.from(
      recognition.DetectionSubmissionBatch.encode({ detections: submissions }).finish(),
    );
    const res = await ingest().set('content-type', 'application/x-protobuf').send(bytes).expect(200);
    expect(res.body).toMatchObject({ received: 3, accepted: 3 });
    const single = Buffer.from(
      recognition.DetectionSubmission.encode({
        ...submissions[0]!,
        vendorEventId: `pb-${++counter}`,
      }).finish(),
    );
    await ingest()
      .set('content-type', 'application/x-protobuf; proto=safecity.recognition.v1.DetectionSubmission')
      .send(single)
      .expect(200)
      .expect((r) => expect(r.body.accepted).toBe(1));
  });

  it('answers malformed input with 400, field and reason; nonsense with 422; oversize batches with 413', async () => {
    const missing = await ingest()
      .send({ ...plate(), cameraExternalId: undefined, observedAt: 'yesterday' })
      .expect(400);
    expect(missing.body.problems).toEqual(
      expect.arrayContaining([
        { field: 'cameraExternalId', reason: 'is required' },
        { field: 'observedAt', reason: 'must be an RFC 3339 timestamp with a time zone' },
      ]),
    );
    const wrongType = await ingest()
      .send({ detections: [plate(), { ...plate(), plate: { text: 42 } }] })
      .expect(400);
    expect(wrongType.body.problems).toContainEqual({
      field: 'detections[1].plate.text',
      reason: 'must be a string',
    });
    const mismatch = await ingest()
      .send({ ...plate(), kind: 'face' })
      .expect(422);
    expect(mismatch.body.problems[0].field).toMatch(/^(face|plate)$/);
    await ingest()
      .send({ detections: Array.from({ length: 1001 }, () => plate()) })
      .expect(413);
    await ingest().set('content-type', 'text/plain').send('hello').expect(415);
    await ingest().set('content-type', 'application/json').send('{"detections": [').expect(400);
    await request(service.httpUrl).post('/ingest/v1/detections').send(plate()).expect(401);
  });

  it('rolls the whole batch back when an analyser fails, and takes it when resent', async () => {
    const body = plate();
    const id = detectionId(system, body.vendorEventId);
    probe.failNext = true;
    await ingest().send(body).expect(500);
    expect(await stored(id)).toBeUndefined();
    expect(await analysedCount(id)).toBe(0);
    expect(await outboxed(id)).toBe(false);
    await ingest().send(body).expect(200);
    expect(await analysedCount(id)).toBe(1);
  });

  it('answers 503 and stores nothing when an unknown camera cannot be looked up in camera-registry', async () => {
    const body = plate({ cameraExternalId: 'not-in-the-directory' });
    await ingest().send(body).expect(503);
    expect(await stored(detectionId(system, body.vendorEventId))).toBeUndefined();
  });

  it('erases detections past their retention and records the erasure', async () => {
    const body = plate();
    await ingest().send(body).expect(200);
    const id = detectionId(system, body.vendorEventId);
    await pg.query(
      `UPDATE recognition.detections SET received_at = now() - interval '100 hours' WHERE id = $1`,
      [id],
    );
    const result = await service.app.get(RetentionJob).runOnce();
    if (!result.ran) throw new Error('the retention job did not run');
    // The service's one retention job also runs matching's data classes, which hold nothing here.
    expect(result.erasures.filter((e) => e.count > 0)).toMatchObject([
      { dataClass: 'unmatched-detection-metadata', count: 1 },
    ]);
    expect(await stored(id)).toBeUndefined();
    const audit = await pg.query(
      `SELECT action FROM recognition.audit_log WHERE object_type = 'data-class' AND object_id = 'unmatched-detection-metadata'`,
    );
    expect(audit.rows).toEqual([{ action: 'erase' }]);
  });

  it('stores a consumed batch larger than one statement may carry parameters for', async () => {
    const units = Array.from({ length: 15_000 }, (_, i) => ({
      source: { videoSystemId: system, regionCode: 'ALA', adapter: 'canonical-kafka' as const },
      candidate: {
        vendorEventId: `bulk-${i}`,
        cameraExternalId: camera.externalId,
        observedAt: new Date(),
        kind: recognition.DetectionKind.DETECTION_KIND_PLATE,
        frameBox: null,
        media: [],
        plate: { text: `${i}KZ`, country: 'KZ', confidence: 0.9, vehicle: null, direction: 0 },
      },
    }));
    const summary = await service.app.get(DetectionIngestService).ingestUnits(units);
    expect(summary.accepted).toBe(15_000);
    const [{ n }] = (
      await pg.query(
        `SELECT count(*)::int AS n FROM recognition.detections WHERE vendor_event_id LIKE 'bulk-%'`,
      )
    ).rows;
    expect(n).toBe(15_000);
  });

  it('serves a detection over REST and gRPC, within the caller region only', async () => {
    const body = plate();
    await ingest().send(body).expect(200);
    const id = detectionId(system, body.vendorEventId);
    const operator = await identity.bearer('operator', ['ALA']);
    const res = await request(service.httpUrl)
      .get(`/detections/${id}`)
      .set('authorization', operator)
      .expect(200);
    expect(res.body).toMatchObject({ id, cameraId: camera.id, plate: { text: '123ABC02' } });
    await request(service.httpUrl)
      .get(`/detections/${id}`)
      .set('authorization', await identity.bearer('operator', ['AST']))
      .expect(404);

    const options = grpcOptions(RecognitionGrpc);
    const pkg = grpc.loadPackageDefinition(protoLoader.loadSync(options.protoPath, options.loader)) as any;
    const client = new pkg.safecity.recognition.v1.Recognition(grpcUrl, grpc.credentials.createInsecure());
    const call = (detection: string, token: string) =>
      new Promise<{ detection: recognition.Detection }>((resolve, reject) => {
        const metadata = new grpc.Metadata();
        metadata.set('authorization', `Bearer ${token}`);
        client.getDetection({ id: detection }, metadata, (err: grpc.ServiceError | null, r: any) =>
          err ? reject(err) : resolve(r),
        );
      });
    const answer = await call(id, await identity.token('operator', ['ALA']));
    expect(answer.detection).toMatchObject({ id, cameraId: camera.id });
    await expect(call(id, await identity.token('operator', ['AST']))).rejects.toMatchObject({
      code: grpc.status.NOT_FOUND,
    });
    await expect(call('nope', await identity.token('operator', ['ALA']))).rejects.toMatchObject({
      code: grpc.status.INVALID_ARGUMENT,
    });
    client.close();
  });
});
