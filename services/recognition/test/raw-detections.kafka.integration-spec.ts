import { randomUUID } from 'node:crypto';
import { EventTypes, IngestionMethod, recognition, Topics } from '@safecity/contracts';
import { CeHeader, cloudEventHeaders } from '@safecity/messaging';
import type { RunningServiceApp } from '@safecity/service-kit';
import { createTestDatabase, createTestIdentity, describeKafka, eventually } from '@safecity/testing';
import { Kafka, logLevel, type Consumer, type KafkaMessage, type Producer } from 'kafkajs';
import { Client } from 'pg';
import { CameraDirectoryRepository } from '../src/camera-directory/camera-directory.repository';
import { detectionId } from '../src/ingestion/detection-id';
import { DETECTION_ANALYSERS, FaceTemplateStore, type DetectionAnalyser } from '../src/pipeline';
import { createProbeTable, ProbeAnalyser, startTestRecognition, testCamera } from './support';

describeKafka('raw detections from real Kafka', (brokers) => {
  let db: { url: string; drop(): Promise<void> };
  let service: RunningServiceApp;
  let pg: Client;
  let kafka: Kafka;
  let producer: Producer;
  let dlqConsumer: Consumer;
  const deadLetters: KafkaMessage[] = [];
  const camera = testCamera();
  const system = camera.videoSystemId;
  const group = `recognition-raw-test-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    db = await createTestDatabase('ingestkafka');
    const identity = await createTestIdentity();
    kafka = new Kafka({ brokers: brokers().split(','), logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    const topics = [
      Topics.DetectionsRaw,
      `${Topics.DetectionsRaw}.retry`,
      `${Topics.DetectionsRaw}.dlq`,
      Topics.Cameras,
      `${Topics.Cameras}.retry`,
    ];
    await admin.createTopics({ topics: topics.map((topic) => ({ topic })), waitForLeaders: true });
    // The group starts at the end of the shared topics: only this suite's records are its concern.
    // Explicit offsets: resetOffsets would commit "latest" as -1, resolved only when the group joins.
    for (const topic of topics) {
      // A topic another suite has just created may not have its leader elected yet.
      const ends = await eventually(() => admin.fetchTopicOffsets(topic).catch(() => null), {
        timeoutMs: 30_000,
        message: `partition leaders of ${topic}`,
      });
      const partitions = ends.map((p) => ({ partition: p.partition, offset: p.high }));
      await admin.setOffsets({ groupId: `safecity.${group}`, topic, partitions });
    }
    await admin.disconnect();
    service = await startTestRecognition(
      db.url,
      identity,
      { kind: 'kafka', connection: { brokers: brokers(), clientId: 'recognition' } },
      { eventConsumerName: group },
    );
    pg = new Client({ connectionString: db.url });
    await pg.connect();
    await createProbeTable(pg);
    service.app
      .get<DetectionAnalyser[]>(DETECTION_ANALYSERS)
      .unshift(new ProbeAnalyser(service.app.get(FaceTemplateStore)));
    await service.app.get(CameraDirectoryRepository).upsert(camera);
    producer = kafka.producer({ idempotent: true });
    await producer.connect();
    dlqConsumer = kafka.consumer({ groupId: `raw-dlq-check-${randomUUID()}` });
    await dlqConsumer.connect();
    await dlqConsumer.subscribe({ topic: `${Topics.DetectionsRaw}.dlq`, fromBeginning: false });
    await dlqConsumer.run({ eachMessage: async ({ message }) => void deadLetters.push(message) });
  }, 120_000);

  afterAll(async () => {
    await producer?.disconnect();
    await dlqConsumer?.disconnect();
    await pg?.end();
    await service?.close();
    await db?.drop();
  }, 60_000);

  function rawRecord(
    payload: Buffer,
    contentType: string,
    method = IngestionMethod.INGESTION_METHOD_CANONICAL_PUSH,
  ) {
    const value = recognition.RawDetectionReceived.encode({
      raw: {
        videoSystemId: system,
        vendorEventId: '',
        ingestionMethod: method,
        contentType,
        payload,
        receivedAt: new Date(),
        regionCode: 'ALA',
      },
    }).finish();
    const id = randomUUID();
    const headers = cloudEventHeaders(
      {
        id,
        topic: Topics.DetectionsRaw,
        key: system,
        type: EventTypes.RawDetectionReceived,
        payload: value,
        region: 'ALA',
      },
      '/safecity/vms-bridge',
    );
    return { id, message: { key: system, value: Buffer.from(value), headers } };
  }

  const submission = (vendorEventId: string): recognition.DetectionSubmission => ({
    vendorEventId,
    cameraExternalId: camera.externalId,
    observedAt: new Date(),
    kind: recognition.DetectionKind.DETECTION_KIND_PLATE,
    frameBox: { x: 0.5, y: 0.5, width: 0.1, height: 0.05 },
    media: [],
    plate: { text: '777KZA02', country: 'KZ', confidence: 0.9, vehicle: null, direction: 0 },
  });
  const protobufBatch = (...ids: string[]) =>
    Buffer.from(recognition.DetectionSubmissionBatch.encode({ detections: ids.map(submission) }).finish());
  const analysed = async (vendorEventId: string) =>
    Number(
      (
        await pg.query('SELECT count(*) FROM recognition.analyser_probe WHERE detection_id = $1', [
          detectionId(system, vendorEventId),
        ])
      ).rows[0].count,
    );

  it('normalises canonical JSON and protobuf records, stores and analyses them once', async () => {
    const tag = randomUUID().slice(0, 8);
    const json = Buffer.from(
      JSON.stringify({
        vendorEventId: `${tag}-json`,
        cameraExternalId: camera.externalId,
        observedAt: new Date().toISOString(),
        kind: 'plate',
        plate: { text: '123ABC02', country: 'KZ', confidence: 0.9 },
      }),
    );
    const records = [
      rawRecord(json, 'application/json'),
      rawRecord(protobufBatch(`${tag}-pb1`, `${tag}-pb2`), 'application/x-protobuf'),
    ];
    await producer.send({ topic: Topics.DetectionsRaw, messages: records.map((r) => r.message) });
    for (const id of [`${tag}-json`, `${tag}-pb1`, `${tag}-pb2`]) {
      await eventually(() => analysed(id), { timeoutMs: 30_000, message: `detection ${id} analysed` });
    }
    // The same vendor events again, as a bridge would resend them after a crash.
    const resent = rawRecord(protobufBatch(`${tag}-pb1`, `${tag}-pb2`), 'application/x-protobuf');
    const marker = rawRecord(protobufBatch(`${tag}-after`), 'application/x-protobuf');
    await producer.send({ topic: Topics.DetectionsRaw, messages: [resent.message, marker.message] });
    await eventually(() => analysed(`${tag}-after`), { timeoutMs: 30_000, message: 'marker analysed' });
    expect(await analysed(`${tag}-pb1`)).toBe(1);
    expect(await analysed(`${tag}-pb2`)).toBe(1);
    const outbox = await eventually(
      async () => {
        const rows = await pg.query('SELECT count(*)::int AS n FROM recognition.outbox');
        return rows.rows[0].n === 0 ? true : null;
      },
      { timeoutMs: 30_000, message: 'outbox drained to Kafka' },
    );
    expect(outbox).toBe(true);
  }, 90_000);

  it('dead-letters an unreadable record, refuses a face template without copying it, and takes the valid ones around it', async () => {
    const tag = randomUUID().slice(0, 8);
    const garbage = rawRecord(Buffer.from('<<not a detection>>'), 'application/json');
    const template = rawRecord(
      Buffer.from(
        recognition.DetectionSubmission.encode({
          ...submission(`${tag}-face`),
          kind: recognition.DetectionKind.DETECTION_KIND_FACE,
          plate: undefined,
          face: {
            template: Array.from({ length: 128 }, (_, i) => i / 128),
            templateModel: 'm@1',
            quality: 1,
            confidence: 1,
          },
        }).finish(),
      ),
      'application/x-protobuf; proto=safecity.recognition.v1.DetectionSubmission',
    );
    const before = rawRecord(protobufBatch(`${tag}-before`), 'application/x-protobuf');
    const after = rawRecord(protobufBatch(`${tag}-after`), 'application/x-protobuf');
    await producer.send({
      topic: Topics.DetectionsRaw,
      messages: [before.message, garbage.message, template.message, after.message],
    });
    await eventually(() => analysed(`${tag}-after`), {
      timeoutMs: 30_000,
      message: 'valid record after the bad ones',
    });
    expect(await analysed(`${tag}-before`)).toBe(1);
    const dead = await eventually(
      () => {
        const ids = deadLetters.map((m) => m.headers?.[CeHeader.Id]?.toString());
        return ids.includes(garbage.id) ? ids : null;
      },
      { timeoutMs: 30_000, message: 'the unreadable record dead-lettered' },
    );
    // The face template is refused and counted, never copied into the dead-letter topic.
    expect(dead).not.toContain(template.id);
    expect(await analysed(`${tag}-face`)).toBe(0);
    const metrics = await (await fetch(`${service.httpUrl}/metrics`)).text();
    expect(metrics).toMatch(
      /safecity_ingest_detections_dropped_total\{[^}]*reason="face-template-on-bus"[^}]*\} [1-9]/,
    );
  }, 90_000);
});
