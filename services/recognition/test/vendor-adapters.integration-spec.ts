import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { recognition } from '@safecity/contracts';
import { InProcessBus } from '@safecity/messaging';
import type { RunningServiceApp } from '@safecity/service-kit';
import { createTestDatabase, createTestIdentity, eventually, type TestIdentity } from '@safecity/testing';
import { connect, type MqttClient } from 'mqtt';
import { Client } from 'pg';
import request from 'supertest';
import { detectionId } from '../src/ingestion/detection-id';
import { FrigateMqttSubscriber } from '../src/ingestion/frigate/frigate-mqtt.subscriber';
import { MediaStore } from '../src/ingestion/media/media-store';
import { fixture, hikvisionMultipart, jpeg } from './fixtures';
import { startMqttBroker } from './mqtt-broker';
import { issueKey, publishCamera, startTestRecognition, testCamera } from './support';

describe('vendor adapters over HTTP and MQTT on real PostgreSQL', () => {
  let db: { url: string; drop(): Promise<void> };
  let identity: TestIdentity;
  let service: RunningServiceApp;
  let bus: InProcessBus;
  let pg: Client;
  let key: string;
  let broker: { url: string; close(): Promise<void> };
  let mqttClient: MqttClient;
  const mediaDirectory = mkdtempSync(join(tmpdir(), 'recognition-media-'));
  const base = testCamera();
  const system = base.videoSystemId;
  // Vendor cameras of one installation: ONVIF video source, Hikvision channels, a Frigate camera.
  const cameras = ['VideoSourceConfig_1', '1', '2', '3', 'gate_north'].map((externalId) =>
    testCamera({ videoSystemId: system, externalId, privacyMasks: [] }),
  );

  beforeAll(async () => {
    db = await createTestDatabase('vendors');
    identity = await createTestIdentity();
    bus = new InProcessBus();
    broker = await startMqttBroker();
    service = await startTestRecognition(
      db.url,
      identity,
      { kind: 'in-process', bus },
      {
        // The sample payloads carry the times of the vendors' examples, 2026-06-01.
        ingestion: { maxAgeMs: 10 * 365 * 86_400_000, media: { directory: mediaDirectory } as never },
        frigateMqtt: [{ url: broker.url, videoSystemId: system, regionCode: 'ALA' }],
      },
    );
    pg = new Client({ connectionString: db.url });
    await pg.connect();
    for (const camera of cameras) await publishCamera(bus, pg, camera);
    key = await issueKey(service, system);
    mqttClient = connect(broker.url);
    await eventually(() => mqttClient.connected && service.app.get(FrigateMqttSubscriber).connected, {
      message: 'MQTT clients connected',
    });
  }, 60_000);

  afterAll(async () => {
    await mqttClient?.endAsync();
    await pg?.end();
    await service?.close();
    await broker?.close();
    await db?.drop();
  });

  const post = (route: string, body: Buffer, contentType: string, apiKey = key) =>
    request(service.httpUrl)
      .post(`/ingest/v1/${route}`)
      .set('x-api-key', apiKey)
      .set('content-type', contentType)
      // The bytes as they are: the client would otherwise serialise a Buffer as JSON.
      .serialize((raw: unknown) => raw as string)
      .send(body);
  const stored = async (vendorEventId: string) => {
    const rows = (
      await pg.query('SELECT payload FROM recognition.detections WHERE id = $1', [
        detectionId(system, vendorEventId),
      ])
    ).rows;
    return rows[0] ? recognition.Detection.decode(rows[0].payload) : undefined;
  };

  it('takes ONVIF analytics notifications, and a re-sent Notify is the same events', async () => {
    const res = await post(
      'onvif-events',
      fixture('onvif-notify-analytics.xml'),
      'application/soap+xml; charset=utf-8',
    ).expect(200);
    expect(res.body).toMatchObject({ received: 7, accepted: 7, ignored: 2 });
    // Re-sent to the earlier path, which stays an alias of the current one.
    const again = await post('onvif', fixture('onvif-notify-analytics.xml'), 'application/soap+xml').expect(
      200,
    );
    expect(again.body).toMatchObject({ accepted: 0, duplicates: 7 });
    const line = await post('onvif-events', fixture('onvif-line-crossed.xml'), 'application/soap+xml').expect(
      200,
    );
    const detection = await stored(line.body.detections[0].vendorEventId);
    expect(detection).toMatchObject({
      cameraId: cameras[0]!.id,
      behaviour: { type: recognition.BehaviourType.BEHAVIOUR_TYPE_LINE_CROSSING },
    });
  });

  it('takes Hikvision alerts, and counts heartbeat-like alerts as ignored', async () => {
    for (const name of [
      'hikvision-linedetection.xml',
      'hikvision-fielddetection.xml',
      'hikvision-loitering.xml',
      'hikvision-facecapture.xml',
    ]) {
      const res = await post('hikvision-isapi', fixture(name), 'application/xml').expect(200);
      expect(res.body).toMatchObject({ accepted: 1 });
    }
    // Sent to the earlier path, which stays an alias of `hikvision-isapi`.
    const heartbeat = await post('hikvision', fixture('hikvision-heartbeat.xml'), 'application/xml').expect(
      200,
    );
    expect(heartbeat.body).toMatchObject({ received: 0, ignored: 1 });
  });

  it('keeps the pictures of a Hikvision multipart upload in the media store and serves them by region', async () => {
    const upload = hikvisionMultipart(fixture('hikvision-anpr.xml'), [
      { name: 'licensePlatePicture', bytes: jpeg('plate 777KZA02') },
      { name: 'detectionPicture', bytes: jpeg('full frame') },
    ]);
    const res = await post('hikvision-isapi', upload.body, upload.contentType).expect(200);
    expect(res.body).toMatchObject({ accepted: 1 });
    const detection = await stored('5c0a6b1e-1d2f-4c8a-9e3b-7f6d5a4c3b21');
    expect(detection?.plate?.text).toBe('777KZA02');
    expect(detection?.media).toHaveLength(2);
    const uri = detection!.media[0]!.uri;
    expect(uri).toMatch(/^\/media\/[0-9a-f-]{36}$/);
    const picture = await request(service.httpUrl)
      .get(uri)
      .set('authorization', await identity.bearer('operator', ['ALA']))
      .buffer(true)
      .parse((response, done) => {
        const chunks: Buffer[] = [];
        response.on('data', (c: Buffer) => chunks.push(c));
        response.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200)
      .expect('content-type', 'image/jpeg');
    expect((picture.body as Buffer).equals(jpeg('plate 777KZA02'))).toBe(true);
    await request(service.httpUrl)
      .get(uri)
      .set('authorization', await identity.bearer('operator', ['AST']))
      .expect(404);
    // Resending the upload rewrites the same pictures rather than adding more.
    await post('hikvision', upload.body, upload.contentType).expect(200);
    expect(readdirSync(mediaDirectory)).toHaveLength(2);
    expect(statSync(mediaDirectory).mode & 0o777).toBe(0o700);
    for (const file of readdirSync(mediaDirectory))
      expect(statSync(join(mediaDirectory, file)).mode & 0o777).toBe(0o600);
    const reads = await pg.query(
      `SELECT action, purpose FROM recognition.audit_log WHERE object_type = 'media' AND object_id = $1`,
      [uri.slice('/media/'.length)],
    );
    expect(reads.rows).toEqual([{ action: 'read', purpose: 'detection review' }]);
  });

  it('never keeps the face picture of a Hikvision face capture that matched nothing', async () => {
    const before = readdirSync(mediaDirectory).length;
    // A capture of its own: another second than the fixture's other uses.
    const xml = Buffer.from(
      fixture('hikvision-facecapture.xml').toString().replace('15:25:02+06:00', '15:25:47+06:00'),
    );
    const upload = hikvisionMultipart(xml, [
      { name: 'faceImage', bytes: jpeg('a passer-by') },
      { name: 'backgroundImage', bytes: jpeg('the street with the passer-by') },
    ]);
    const res = await post('hikvision-isapi', upload.body, upload.contentType).expect(200);
    expect(res.body).toMatchObject({ accepted: 1 });
    const id = res.body.detections[0].id as string;
    const rows = await pg.query('SELECT payload FROM recognition.detections WHERE id = $1', [id]);
    expect(recognition.Detection.decode(rows.rows[0].payload).media).toEqual([]);
    expect(
      (await pg.query('SELECT 1 FROM recognition.media_objects WHERE detection_id = $1', [id])).rowCount,
    ).toBe(0);
    expect(readdirSync(mediaDirectory)).toHaveLength(before);
  });

  it('bounds the media store: pictures over the size cap go, oldest first', async () => {
    const store = service.app.get(MediaStore);
    const settings = (store as unknown as { settings: { media: { maxTotalBytes: number } } }).settings;
    const before = readdirSync(mediaDirectory).length;
    expect(before).toBeGreaterThan(0);
    const cap = settings.media.maxTotalBytes;
    settings.media.maxTotalBytes = 0;
    try {
      expect((await store.sweep()).evicted).toBe(before);
    } finally {
      settings.media.maxTotalBytes = cap;
    }
    expect(readdirSync(mediaDirectory)).toHaveLength(0);
  });

  it('makes Frigate new, update and end over HTTP one detection, updated', async () => {
    const id = '1780305300.512345-k3x9qa';
    expect(
      (await post('frigate', fixture('frigate-new.json'), 'application/json').expect(200)).body,
    ).toMatchObject({ accepted: 1 });
    expect((await stored(id))?.plate?.text).toBe('123ABC02');
    expect(
      (await post('frigate', fixture('frigate-new.json'), 'application/json').expect(200)).body,
    ).toMatchObject({ duplicates: 1 });
    expect(
      (await post('frigate', fixture('frigate-update.json'), 'application/json').expect(200)).body,
    ).toMatchObject({ updated: 1 });
    expect((await stored(id))?.plate?.text).toBe('123ABD02');
    // An older message arriving late changes nothing.
    expect(
      (await post('frigate', fixture('frigate-new.json'), 'application/json').expect(200)).body,
    ).toMatchObject({ duplicates: 1 });
    expect(
      (await post('frigate', fixture('frigate-end.json'), 'application/json').expect(200)).body,
    ).toMatchObject({ updated: 1 });
    const count = await pg.query(
      'SELECT count(*)::int AS n FROM recognition.detections WHERE vendor_event_id = $1',
      [id],
    );
    expect(count.rows[0].n).toBe(1);
  });

  it('reads Frigate events from an MQTT broker, updating one detection per Frigate id', async () => {
    const relabel = (name: string) =>
      Buffer.from(fixture(name).toString().replaceAll('1780305300.512345-k3x9qa', 'mqtt-event-1'));
    await mqttClient.publishAsync('frigate/events', relabel('frigate-new.json'), { qos: 1 });
    await eventually(async () => (await stored('mqtt-event-1'))?.plate?.text === '123ABC02', {
      message: 'new event stored',
    });
    await mqttClient.publishAsync('frigate/events', Buffer.from('{"type": "new", "after": 42}'), { qos: 1 });
    await mqttClient.publishAsync('frigate/events', relabel('frigate-update.json'), { qos: 1 });
    await eventually(async () => (await stored('mqtt-event-1'))?.plate?.text === '123ABD02', {
      message: 'update applied after an unreadable message',
    });
  });

  describe('bad input at the HTTP level', () => {
    const routes = [
      { route: 'detections', contentType: 'application/json', valid: () => freshCanonical() },
      { route: 'detections', contentType: 'application/x-protobuf', valid: () => freshCanonical() },
      { route: 'onvif-events', contentType: 'application/soap+xml', valid: () => freshCanonical() },
      { route: 'onvif', contentType: 'application/soap+xml', valid: () => freshCanonical() },
      { route: 'hikvision-isapi', contentType: 'application/xml', valid: () => freshCanonical() },
      { route: 'hikvision', contentType: 'application/xml', valid: () => freshCanonical() },
      {
        route: 'hikvision-isapi',
        contentType: 'multipart/form-data; boundary=MIME_boundary',
        valid: () => freshCanonical(),
      },
      { route: 'frigate', contentType: 'application/json', valid: () => freshCanonical() },
    ];
    let sequence = 0;
    function freshCanonical() {
      return Buffer.from(
        JSON.stringify({
          vendorEventId: `after-bad-input-${++sequence}`,
          cameraExternalId: '1',
          observedAt: new Date().toISOString(),
          kind: 'plate',
          plate: { text: `${sequence}KZ02` },
        }),
      );
    }
    const samples: Record<string, Buffer> = {
      detections: fixture('canonical-batch.json'),
      'onvif-events': fixture('onvif-notify-analytics.xml'),
      onvif: fixture('onvif-notify-analytics.xml'),
      'hikvision-isapi': fixture('hikvision-anpr.xml'),
      hikvision: fixture('hikvision-anpr.xml'),
      frigate: fixture('frigate-update.json'),
    };
    const laughs = Buffer.from(
      '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">' +
        '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]><x>&d;&d;&d;</x>',
    );

    it.each(routes)(
      '$route ($contentType): 4xx for every bad payload, and the next valid event is taken',
      async ({ route, contentType, valid }) => {
        const badKey = await issueKey(service, system);
        const payloads = fc.sample(
          fc.oneof(
            fc.uint8Array({ maxLength: 2048 }).map((b) => Buffer.from(b)),
            fc.nat().map((cut) => samples[route]!.subarray(0, cut % samples[route]!.length)),
            fc.constant(laughs),
            fc.constant(Buffer.alloc(0)),
          ),
          { numRuns: 25, seed: 42 },
        );
        for (const payload of payloads) {
          const res = await post(route, payload, contentType, badKey);
          if (res.status === 200) {
            // A payload that happens to be readable (an empty-enough sample prefix, an ignored event) may pass.
            continue;
          }
          expect(res.status).toBeGreaterThanOrEqual(400);
          expect(res.status).toBeLessThan(500);
        }
        const next = valid();
        const res = await post('detections', next, 'application/json', badKey).expect(200);
        expect(res.body).toMatchObject({ accepted: 1 });
      },
    );
  });
});
