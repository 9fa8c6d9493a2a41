import { randomUUID } from 'node:crypto';
import {
  cameras as contract,
  CameraStatus,
  CameraStatusChanged,
  EventTypes,
  Topics,
} from '@safecity/contracts';
import { CeHeader, cloudEventHeaders, DeadLetterAdmin } from '@safecity/messaging';
import { freeLoopbackPort } from '@safecity/persistence';
import type { RunningServiceApp } from '@safecity/service-kit';
import { createTestDatabase, createTestIdentity, describeKafka, eventually } from '@safecity/testing';
import { Kafka, logLevel, type Consumer, type KafkaMessage, type Producer } from 'kafkajs';
import request from 'supertest';
import { startCameraRegistry } from '../src/bootstrap';

describeKafka('camera health over real Kafka', (brokers) => {
  let db: { url: string; drop(): Promise<void> };
  let service: RunningServiceApp;
  let api: ReturnType<typeof request.agent>;
  let kafka: Kafka;
  let producer: Producer;
  let statusConsumer: Consumer;
  let videoSystemId: string;
  const statusMessages: KafkaMessage[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('camhealthkafka');
    const identity = await createTestIdentity();
    service = await startCameraRegistry({
      databaseUrl: db.url,
      transport: { kind: 'kafka', connection: { brokers: brokers(), clientId: 'camera-registry' } },
      http: { port: 0 },
      grpcUrl: `127.0.0.1:${await freeLoopbackPort()}`,
      runMigrations: true,
      identity: identity.identity,
      health: { detectorIntervalMs: 0 },
    });
    api = request.agent(service.httpUrl).set('authorization', await identity.bearer('admin'));
    kafka = new Kafka({ brokers: brokers().split(','), logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: Topics.CameraStatus }], waitForLeaders: true });
    await admin.disconnect();
    statusConsumer = kafka.consumer({ groupId: `camera-status-check-${randomUUID()}` });
    await statusConsumer.connect();
    await statusConsumer.subscribe({ topic: Topics.CameraStatus, fromBeginning: true });
    await statusConsumer.run({ eachMessage: async ({ message }) => void statusMessages.push(message) });
    producer = kafka.producer();
    await producer.connect();
    videoSystemId = (
      await api
        .post('/video-systems')
        .send({
          regionCode: 'ALA',
          name: 'Almaty NVR',
          vendor: 'hikvision',
          ingestionMethod: 'hikvision-isapi',
        })
        .expect(201)
    ).body.id;
  }, 120_000);

  afterAll(async () => {
    await producer?.disconnect();
    await statusConsumer?.disconnect();
    await service?.close();
    await db?.drop();
  }, 60_000);

  const registerCamera = async (externalId: string): Promise<string> =>
    (
      await api
        .post('/cameras')
        .send({
          videoSystemId,
          externalId,
          name: `Camera ${externalId}`,
          location: { lat: 43.25, lon: 76.92 },
          capabilities: [],
        })
        .expect(201)
    ).body.id;

  const heartbeatRecord = (heartbeat: contract.CameraHeartbeat) => {
    const id = randomUUID();
    const value = Buffer.from(contract.CameraHeartbeat.encode(heartbeat).finish());
    const headers = cloudEventHeaders(
      {
        id,
        topic: Topics.CameraHeartbeats,
        key: heartbeat.videoSystemId,
        type: EventTypes.CameraHeartbeatReceived,
        payload: value,
      },
      '/vms/almaty-nvr',
    );
    return { id, message: { key: heartbeat.videoSystemId, value, headers } };
  };

  const entry = (externalId: string): contract.CameraHeartbeatEntry => ({
    externalId,
    cameraId: '',
    condition: contract.CameraCondition.CAMERA_CONDITION_OK,
    detail: '',
  });

  const statusOf = async (id: string) => (await api.get(`/cameras/${id}/health`).expect(200)).body.status;

  it('heartbeats on safecity.camera-heartbeats.v1 flip cameras online and CameraStatusChanged reaches Kafka', async () => {
    const ids = [await registerCamera('k-1'), await registerCamera('k-2'), await registerCamera('k-3')];
    // Several records in one send, so the batch handler gets more than one at a time.
    const records = [
      heartbeatRecord({ videoSystemId, observedAt: new Date(), cameras: [entry('k-1')] }),
      heartbeatRecord({ videoSystemId, observedAt: new Date(), cameras: [entry('k-2'), entry('k-3')] }),
      heartbeatRecord({ videoSystemId, observedAt: new Date(), cameras: [entry('k-1'), entry('k-3')] }),
    ];
    await producer.send({ topic: Topics.CameraHeartbeats, messages: records.map((r) => r.message) });

    await eventually(async () => (await Promise.all(ids.map(statusOf))).every((s) => s === 'online'), {
      timeoutMs: 60_000,
      intervalMs: 200,
      message: 'cameras online',
    });
    const published = await eventually(
      () => {
        const mine = statusMessages.filter((m) => ids.includes(m.key?.toString() ?? ''));
        return mine.length === ids.length ? mine : null;
      },
      { timeoutMs: 30_000, message: 'status events on Kafka' },
    );
    for (const message of published) {
      const headers = Object.fromEntries(
        Object.entries(message.headers ?? {}).map(([k, v]) => [k, v?.toString()]),
      );
      expect(headers[CeHeader.Type]).toBe(EventTypes.CameraStatusChanged);
      expect(headers[CeHeader.Region]).toBe('ALA');
      const event = CameraStatusChanged.decode(message.value!);
      expect(event).toMatchObject({
        cameraId: message.key!.toString(),
        regionCode: 'ALA',
        status: CameraStatus.CAMERA_STATUS_ONLINE,
        previousStatus: CameraStatus.CAMERA_STATUS_UNSPECIFIED,
      });
    }
    const system = (await api.get(`/video-systems/${videoSystemId}/health`).expect(200)).body;
    expect(system).toMatchObject({ status: 'online', lastCameraCount: expect.any(Number) });
  }, 120_000);

  it('dead-letters a heartbeat that can never be applied while the one behind it is applied', async () => {
    const id = await registerCamera('k-after-poison');
    const poison = heartbeatRecord({ videoSystemId: randomUUID(), observedAt: new Date(), cameras: [] });
    const good = heartbeatRecord({
      videoSystemId,
      observedAt: new Date(),
      cameras: [entry('k-after-poison')],
    });
    // Same key, same partition: the good record sits right behind the poison one.
    await producer.send({
      topic: Topics.CameraHeartbeats,
      messages: [{ ...poison.message, key: videoSystemId }, good.message],
    });
    await eventually(async () => (await statusOf(id)) === 'online', {
      timeoutMs: 60_000,
      intervalMs: 200,
      message: 'camera behind the poison online',
    });
    const letters = await eventually(
      async () => {
        const list = await new DeadLetterAdmin({ brokers: brokers(), clientId: 'test' }).list(
          `${Topics.CameraHeartbeats}.dlq`,
        );
        return list.find((l) => l.headers[CeHeader.Id] === poison.id) ? list : null;
      },
      { timeoutMs: 30_000, intervalMs: 500, message: 'dead letter' },
    );
    const letter = letters.find((l) => l.headers[CeHeader.Id] === poison.id);
    expect(letter).toMatchObject({
      originalTopic: Topics.CameraHeartbeats,
      consumerGroup: 'safecity.camera-registry',
    });
    expect(letter?.error).toContain('unknown video system');
  }, 120_000);
});
