import { InProcessBus } from '@safecity/messaging';
import type { RunningServiceApp } from '@safecity/service-kit';
import { createTestDatabase, createTestIdentity, eventually, type TestIdentity } from '@safecity/testing';
import { Client } from 'pg';
import { DEMO_HOTLIST_PLATES, startDetectionSimulator } from '../src';
import { recognition } from '@safecity/contracts';
import { issueKey, publishCamera, startTestRecognition, testCamera } from './support';

describe('detection simulator against a running recognition service', () => {
  let db: { url: string; drop(): Promise<void> };
  let identity: TestIdentity;
  let service: RunningServiceApp;
  let bus: InProcessBus;
  let pg: Client;
  const cameras = [testCamera({ privacyMasks: [] })];
  cameras.push(testCamera({ videoSystemId: cameras[0]!.videoSystemId, privacyMasks: [] }));
  const system = cameras[0]!.videoSystemId;

  beforeAll(async () => {
    db = await createTestDatabase('simulator');
    identity = await createTestIdentity();
    bus = new InProcessBus();
    service = await startTestRecognition(db.url, identity, { kind: 'in-process', bus });
    pg = new Client({ connectionString: db.url });
    await pg.connect();
    for (const camera of cameras) await publishCamera(bus, pg, camera);
  });

  afterAll(async () => {
    await pg?.end();
    await service?.close();
    await db?.drop();
  });

  const storedKinds = async () =>
    (await pg.query('SELECT kind, payload FROM recognition.detections')).rows.map((r) => ({
      kind: r.kind as number,
      detection: recognition.Detection.decode(r.payload),
    }));

  it('posts plates, faces and behaviour over HTTP with the system API key', async () => {
    const simulator = startDetectionSimulator({
      target: { baseUrl: service.httpUrl },
      systems: [
        {
          videoSystemId: system,
          regionCode: 'ALA',
          apiKey: await issueKey(service, system),
          cameras: cameras.map((c) => c.externalId),
        },
      ],
      ratePerSecond: 400,
      hotPlateShare: 0.3,
      seed: 3,
    });
    try {
      await eventually(async () => (await storedKinds()).length >= 300, {
        timeoutMs: 15_000,
        message: '300 detections stored',
      });
    } finally {
      await simulator.stop();
    }
    expect(simulator.failed).toBe(0);
    expect(simulator.accepted).toBe(simulator.sent);
    const rows = await storedKinds();
    expect(new Set(rows.map((r) => r.kind))).toEqual(new Set([1, 2, 3]));
    expect(
      rows.some((r) => (DEMO_HOTLIST_PLATES as readonly string[]).includes(r.detection.plate?.text ?? '')),
    ).toBe(true);
    expect(new Set(rows.map((r) => r.detection.cameraId))).toEqual(new Set(cameras.map((c) => c.id)));
  });

  it('feeds a running application directly, without HTTP', async () => {
    const before = (await storedKinds()).length;
    const simulator = startDetectionSimulator({
      target: { app: service.app },
      systems: [{ videoSystemId: system, regionCode: 'ALA', cameras: [cameras[0]!.externalId] }],
      ratePerSecond: 200,
      seed: 4,
    });
    try {
      await eventually(async () => (await storedKinds()).length >= before + 100, {
        timeoutMs: 15_000,
        message: 'in-process detections stored',
      });
    } finally {
      await simulator.stop();
    }
    expect(simulator.failed).toBe(0);
  });
});
