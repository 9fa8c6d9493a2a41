import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { EventTypes, Topics } from '@safecity/contracts';
import { CeHeader, DeadLetterAdmin } from '@safecity/messaging';
import { freeLoopbackPort } from '@safecity/persistence';
import type { RunningServiceApp } from '@safecity/service-kit';
import {
  createTestDatabase,
  createTestIdentity,
  describeKafka,
  eventually,
  KafkaBroker,
  type TestIdentity,
  killHard,
  stopGracefully,
} from '@safecity/testing';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import request from 'supertest';
import { startCameraRegistry } from '@safecity/camera-registry';

const ROOT = join(__dirname, '../../..');

/** recognition as its own OS process, so the test can kill -9 it like a crashed pod. */
class RecognitionProcess {
  private child: ChildProcess | null = null;
  private output = '';
  readonly port: Promise<number> = freeLoopbackPort();

  constructor(private readonly env: Record<string, string>) {}

  async start(): Promise<string> {
    const port = await this.port;
    this.child = spawn(process.execPath, ['-r', '@swc-node/register', 'services/recognition/src/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, ...this.env, HTTP_PORT: String(port), HTTP_HOST: '127.0.0.1', NODE_ENV: 'test' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout?.on('data', (d) => (this.output += d));
    this.child.stderr?.on('data', (d) => (this.output += d));
    const url = `http://127.0.0.1:${port}`;
    await eventually(
      async () => {
        if (this.child?.exitCode !== null) throw new Error(`recognition exited: ${this.output.slice(-2000)}`);
        return (await fetch(`${url}/health/live`)).ok;
      },
      { timeoutMs: 60_000, intervalMs: 200, message: 'recognition to start' },
    );
    return url;
  }

  kill9(): Promise<void> {
    return killHard(this.child);
  }

  stop(): Promise<void> {
    return stopGracefully(this.child);
  }
}

async function sql<T = Record<string, unknown>>(
  url: string,
  text: string,
  params: unknown[] = [],
): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}

describeKafka('slice over real Kafka: camera-registry → safecity.cameras.v1 → recognition', (brokers) => {
  let db: { url: string; drop(): Promise<void> };
  let registry: RunningServiceApp;
  let recognition: RecognitionProcess;
  let recognitionUrl: string;
  let videoSystemId: string;
  let ids: TestIdentity;
  let admin: string;
  const get = (url: string) => fetch(url, { headers: { authorization: admin } });

  const registerCamera = async (externalId: string) =>
    (
      await request
        .agent(registry.httpUrl)
        .set('authorization', admin)
        .post('/cameras')
        .send({
          videoSystemId,
          externalId,
          name: `Camera ${externalId}`,
          location: { lat: 51.13, lon: 71.43 },
          capabilities: ['plates'],
        })
        .expect(201)
    ).body.id as string;

  const updateCamera = (id: string, n: number) =>
    request
      .agent(registry.httpUrl)
      .set('authorization', admin)
      .patch(`/cameras/${id}`)
      .send({ name: `renamed ${n}`, location: { lat: 51.13, lon: 71.43 }, capabilities: ['plates'] })
      .expect(200);

  const outboxPending = async (url = db.url) =>
    Number((await sql<{ n: string }>(url, 'SELECT count(*) AS n FROM camera_registry.outbox'))[0].n);

  /** Commits the end of each existing topic (and its retry topic) for a group with no members. */
  async function positionGroupAtEnd(groupId: string, topics: string[]) {
    const kafkaAdmin = new Kafka({ brokers: brokers().split(','), logLevel: logLevel.NOTHING }).admin();
    await kafkaAdmin.connect();
    try {
      const existing = new Set(await kafkaAdmin.listTopics());
      for (const topic of topics.flatMap((t) => [t, `${t}.retry`]).filter((t) => existing.has(t))) {
        const offsets = await kafkaAdmin.fetchTopicOffsets(topic);
        // A member of an earlier suite that left without leaving the group holds it until its
        // session times out.
        await eventually(
          async () => {
            await kafkaAdmin.setOffsets({
              groupId,
              topic,
              partitions: offsets.map((o) => ({ partition: o.partition, offset: o.high })),
            });
            return true;
          },
          { timeoutMs: 60_000, intervalMs: 1_000, message: `${groupId} positioned at the end of ${topic}` },
        );
      }
    } finally {
      await kafkaAdmin.disconnect();
    }
  }

  beforeAll(async () => {
    db = await createTestDatabase('kafkaslice');
    ids = await createTestIdentity();
    admin = await ids.bearer('admin');
    const grpcUrl = `127.0.0.1:${await freeLoopbackPort()}`;
    registry = await startCameraRegistry({
      databaseUrl: db.url,
      transport: { kind: 'kafka', connection: { brokers: brokers(), clientId: 'camera-registry' } },
      http: { port: 0 },
      grpcUrl,
      identity: ids.identity,
      runMigrations: true,
    });
    // The recognition group is shared with other suites on this broker: it starts at the end of
    // the camera topic, so only this suite's camera events reach this suite's inbox.
    await positionGroupAtEnd('safecity.recognition', [Topics.Cameras]);
    recognition = new RecognitionProcess({
      DATABASE_URL: db.url,
      KAFKA_BROKERS: brokers(),
      CAMERA_REGISTRY_GRPC_URL: grpcUrl,
      // Its own gRPC port, so a platform running on this machine (50052) does not stop it starting.
      GRPC_URL: `127.0.0.1:${await freeLoopbackPort()}`,
      RUN_MIGRATIONS: 'true',
      KAFKA_SESSION_TIMEOUT_MS: '6000',
      EVENT_MAX_ATTEMPTS: '2',
      LOG_LEVEL: 'warn',
      LOCAL_ISSUER_DIR: ids.directory,
      // Started as in production: enrolled face templates sealed with a key of its own.
      FACE_TEMPLATE_KEY: randomBytes(32).toString('base64'),
    });
    recognitionUrl = await recognition.start();
    videoSystemId = (
      await request
        .agent(registry.httpUrl)
        .set('authorization', admin)
        .post('/video-systems')
        .send({
          regionCode: 'AST',
          name: 'Astana ISAPI',
          vendor: 'hikvision',
          ingestionMethod: 'hikvision-isapi',
        })
        .expect(201)
    ).body.id;
  }, 120_000);

  afterAll(async () => {
    await recognition?.stop();
    await registry?.close();
    await db?.drop();
  }, 60_000);

  it('registers a camera and recognition applies it from Kafka; GetCamera over gRPC fills a gap', async () => {
    const id = await registerCamera('slice-1');
    const seen = await eventually(
      async () => {
        const res = await get(`${recognitionUrl}/camera-directory/${id}`);
        const body = res.ok ? ((await res.json()) as any) : null;
        return body?.source === 'read-model' ? body : null;
      },
      { timeoutMs: 30_000, message: 'camera in recognition' },
    );
    expect(seen.camera).toMatchObject({ id, externalId: 'slice-1', regionCode: 'AST' });
    // The state topic was created compacted by whoever came first, not with broker defaults.
    const admin = new Kafka({ brokers: brokers().split(','), logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    const described = await admin.describeConfigs({
      resources: [{ type: 2, name: Topics.Cameras, configNames: ['cleanup.policy'] }],
      includeSynonyms: false,
    });
    await admin.disconnect();
    expect(described.resources[0].configEntries[0]).toMatchObject({
      configName: 'cleanup.policy',
      configValue: 'compact',
    });
    // The gap is made by hand. A redelivery of the camera's event (a consumer group settling
    // while the suite starts) can write the row back after the delete, so the gap is made again
    // until the lookup finds it.
    const viaGrpc = await eventually(
      async () => {
        await sql(db.url, 'DELETE FROM recognition.camera_directory WHERE id = $1', [id]);
        const body = (await (await get(`${recognitionUrl}/camera-directory/${id}`)).json()) as any;
        return body?.source === 'read-model' ? null : body;
      },
      { timeoutMs: 15_000, message: 'camera looked up over gRPC' },
    );
    expect(viaGrpc).toMatchObject({ source: 'camera-registry', camera: { id, externalId: 'slice-1' } });
  }, 60_000);

  it('(a) applies each of 1,000 camera events exactly once although the consumer is killed mid-stream', async () => {
    await recognition.stop();
    const ids: string[] = [];
    for (let i = 0; i < 100; i++) ids.push(await registerCamera(`bulk-${i}`));
    for (let round = 1; round <= 9; round++) for (const id of ids) await updateCamera(id, round);
    await eventually(async () => (await outboxPending()) === 0, {
      timeoutMs: 30_000,
      message: 'outbox drained',
    });

    const applied = async () =>
      Number(
        (
          await sql<{ n: string }>(
            db.url,
            'SELECT coalesce(sum(changes_applied), 0) AS n FROM recognition.camera_directory WHERE id = ANY($1::uuid[])',
            [ids],
          )
        )[0].n,
      );
    await recognition.start();
    const atKill = await eventually(
      async () => {
        const n = await applied();
        return n >= 150 ? n : null;
      },
      { timeoutMs: 60_000, intervalMs: 10, message: 'consumption to start' },
    );
    await recognition.kill9();
    expect(atKill).toBeLessThan(1000);

    await recognition.start();
    await eventually(async () => (await applied()) >= 1000, {
      timeoutMs: 90_000,
      intervalMs: 200,
      message: '1000 applied',
    });
    // Give redeliveries of the uncommitted tail time to arrive and be recognised as duplicates.
    await new Promise((r) => setTimeout(r, 2_000));
    expect(await applied()).toBe(1000);
    const [{ n: inboxRows }] = await sql<{ n: string }>(
      db.url,
      `SELECT count(*) AS n FROM recognition.inbox WHERE consumer_group = 'safecity.recognition' AND topic = $1`,
      [Topics.Cameras],
    );
    // 1,000 bulk events plus the registration of the first test's camera.
    expect(Number(inboxRows)).toBe(1001);
    const versions = await sql<{ version: number }>(
      db.url,
      'SELECT version::int AS version FROM recognition.camera_directory WHERE id = ANY($1::uuid[])',
      [ids],
    );
    expect(versions.every((v) => v.version === 10)).toBe(true);
  }, 240_000);

  it('(b) a poison message goes to .dlq while the events behind it on its partition are applied', async () => {
    const id = await registerCamera('poison-target');
    await eventually(async () => (await get(`${recognitionUrl}/camera-directory/${id}`)).ok, {
      timeoutMs: 30_000,
    });
    const poisonId = randomUUID();
    const kafka = new Kafka({ brokers: brokers().split(','), logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: Topics.Cameras,
      messages: [
        {
          key: id,
          value: Buffer.from([0xff, 0xff, 0xff, 0x0f, 0x01]),
          headers: {
            [CeHeader.SpecVersion]: '1.0',
            [CeHeader.Id]: poisonId,
            [CeHeader.Type]: EventTypes.CameraUpdated,
            [CeHeader.Source]: '/somewhere/else',
          },
        },
      ],
    });
    await producer.disconnect();
    await updateCamera(id, 1);
    await updateCamera(id, 2);
    await eventually(
      async () => {
        const body = (await (await get(`${recognitionUrl}/camera-directory/${id}`)).json()) as any;
        return body.camera?.version === 3;
      },
      { timeoutMs: 30_000, message: 'updates behind the poison' },
    );
    const letters = await new DeadLetterAdmin({ brokers: brokers(), clientId: 'test' }).list(
      `${Topics.Cameras}.dlq`,
    );
    // Every group reading the topic dead-letters the poison for itself; this is recognition's.
    const poison = letters.find(
      (l) => l.headers[CeHeader.Id] === poisonId && l.consumerGroup === 'safecity.recognition',
    );
    expect(poison).toMatchObject({
      originalTopic: Topics.Cameras,
      consumerGroup: 'safecity.recognition',
      attempts: 1,
      key: id,
    });
    expect(poison?.error).toContain('undecodable');
    expect(poison?.originalOffset).toMatch(/^\d+$/);
  }, 90_000);

  it('(c) registrations succeed while Kafka is down and are published once it is back', async () => {
    const broker = new KafkaBroker();
    const ownBrokers = await broker.start();
    const db2 = await createTestDatabase('outage');
    const second = await startCameraRegistry({
      databaseUrl: db2.url,
      transport: { kind: 'kafka', connection: { brokers: ownBrokers, clientId: 'camera-registry' } },
      http: { port: 0 },
      grpcUrl: `127.0.0.1:${await freeLoopbackPort()}`,
      identity: ids.identity,
      runMigrations: true,
    });
    try {
      const system = await request
        .agent(second.httpUrl)
        .set('authorization', admin)
        .post('/video-systems')
        .send({ regionCode: 'ALA', name: 'Almaty', vendor: 'other', ingestionMethod: 'canonical-push' })
        .expect(201);
      await broker.stop();
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        const res = await request
          .agent(second.httpUrl)
          .set('authorization', admin)
          .post('/cameras')
          .send({
            videoSystemId: system.body.id,
            externalId: `outage-${i}`,
            name: `outage ${i}`,
            location: { lat: 43.25, lon: 76.9 },
            capabilities: [],
          })
          .expect(201);
        ids.push(res.body.id);
      }
      // Five camera events wait (beside the audit records of the same changes).
      const [{ n: waiting }] = await sql<{ n: string }>(
        db2.url,
        'SELECT count(*) AS n FROM camera_registry.outbox WHERE topic = $1',
        [Topics.Cameras],
      );
      expect(Number(waiting)).toBe(5);
      // Still ready: what it is asked to do it stores, and the outbox publishes it later; the
      // health report says the bus is down.
      const ready = await request.agent(second.httpUrl).get('/health/ready');
      expect(ready.status).toBe(200);
      const health = await request.agent(second.httpUrl).get('/health');
      expect(health.body.status).toBe('degraded');
      expect(health.body.checks.bus).toEqual(expect.objectContaining({ status: 'down', required: false }));

      await broker.start();
      await eventually(async () => (await outboxPending(db2.url)) === 0, {
        timeoutMs: 60_000,
        message: 'outbox drained',
      });

      const kafka = new Kafka({ brokers: [ownBrokers], logLevel: logLevel.NOTHING });
      const consumer = kafka.consumer({ groupId: `outage-check-${randomUUID()}` });
      await consumer.connect();
      await consumer.subscribe({ topic: Topics.Cameras, fromBeginning: true });
      const keys: string[] = [];
      await consumer.run({
        eachMessage: async ({ message }) => void keys.push(message.key?.toString() ?? ''),
      });
      await eventually(() => ids.every((id) => keys.includes(id)), {
        timeoutMs: 30_000,
        message: 'events on Kafka',
      });
      await new Promise((r) => setTimeout(r, 500));
      await consumer.disconnect();
      expect(keys.filter((k) => ids.includes(k)).sort()).toEqual([...ids].sort());
    } finally {
      await second.close();
      await broker.stop();
      await db2.drop();
    }
  }, 180_000);
});
