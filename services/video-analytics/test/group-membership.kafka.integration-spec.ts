import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { cameras } from '@safecity/contracts';
import {
  createTestDatabase,
  createTestIdentity,
  describeKafka,
  eventually,
  SnapshotTestServer,
  killHard,
  stopGracefully,
} from '@safecity/testing';
import { encodeJpeg, plain } from '@safecity/vision';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { migrateVideoAnalytics } from '../src/bootstrap';

const ROOT = join(__dirname, '../../..');
const PARTITIONS = 4;
const CAMERAS = 8;
const SESSION_TIMEOUT_MS = 6_000;

/** A video-analytics instance as its own OS process. */
class Instance {
  private child: ChildProcess | null = null;
  private output = '';
  url = '';

  constructor(
    readonly name: string,
    private readonly env: Record<string, string>,
  ) {}

  async start(): Promise<void> {
    this.child = spawn(
      process.execPath,
      ['-r', '@swc-node/register', 'services/video-analytics/test/instance.ts'],
      {
        cwd: ROOT,
        env: { ...process.env, ...this.env, LOG_LEVEL: 'warn' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    this.child.stdout?.on('data', (d) => (this.output += d));
    this.child.stderr?.on('data', (d) => (this.output += d));
    this.url = await eventually(
      () => {
        if (this.child?.exitCode !== null)
          throw new Error(`${this.name} exited: ${this.output.slice(-2000)}`);
        return /listening (http:\/\/\S+)/.exec(this.output)?.[1];
      },
      { timeoutMs: 60_000, intervalMs: 200, message: `${this.name} to start` },
    );
  }

  /** The end of what it wrote, for a failure's message. */
  tail(): string {
    return this.output.slice(-1500);
  }

  kill9(): Promise<void> {
    return killHard(this.child);
  }

  stop(): Promise<void> {
    return stopGracefully(this.child);
  }
}

/*
 * Cameras spread over instances the way partitions are, with no coordinator but Kafka's: two
 * instances split the cameras of a media topic; kill -9 one and the other takes all of them after
 * the session timeout; a third that joins takes its share.
 */
describeKafka('video-analytics: cameras follow Kafka group membership', (brokers) => {
  let db: { url: string; drop(): Promise<void> };
  let admin: Admin;
  let token: string;
  let snapshots: SnapshotTestServer;
  const topic = `safecity.camera-media.v1.test-${randomUUID().slice(0, 8)}`;
  const instances: Instance[] = [];
  const cameraIds = Array.from({ length: CAMERAS }, () => randomUUID());

  beforeAll(async () => {
    db = await createTestDatabase('vamembers');
    await migrateVideoAnalytics(db.url);
    const identity = await createTestIdentity();
    token = await identity.token('service', 'all', 'test');
    const kafka = new Kafka({
      clientId: 'membership-test',
      brokers: brokers().split(','),
      logLevel: logLevel.NOTHING,
    });
    admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      topics: [
        { topic, numPartitions: PARTITIONS, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] },
      ],
      waitForLeaders: true,
    });
    snapshots = new SnapshotTestServer();
    await snapshots.start();
    // An empty street: the cameras are read, their frames go through the face detector, nothing is found.
    const frame = encodeJpeg(plain(160, 120, 90));
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic,
      messages: cameraIds.map((cameraId, i) => ({
        key: cameraId,
        partition: i % PARTITIONS,
        value: Buffer.from(
          cameras.CameraMediaSourceChanged.encode({
            cameraId,
            removed: false,
            version: 1,
            source: {
              cameraId,
              videoSystemId: randomUUID(),
              externalId: `cam-${i}`,
              regionCode: 'ALA',
              rtspUrl: '',
              onvifMediaUrl: '',
              onvifProfileToken: '',
              snapshotUrl: snapshots.feed(`cam-${i}`, () => frame),
              sealedCredentials: new Uint8Array(0),
              frameRate: 0.5,
              features: [cameras.AnalyticsFeature.ANALYTICS_FEATURE_FACES],
              zones: [],
              version: 1,
            },
          }).finish(),
        ),
      })),
    });
    await producer.disconnect();
    const env = {
      DATABASE_URL: db.url,
      KAFKA_BROKERS: brokers(),
      LOCAL_ISSUER_DIR: identity.directory,
      RECOGNITION_URL: 'http://127.0.0.1:9',
      MEDIA_TOPIC: topic,
      MEMBERSHIP_GROUP: `${topic}.watchers`,
      EVENT_CONSUMER_NAME: `video-analytics-${topic}`,
      SESSION_TIMEOUT_MS: String(SESSION_TIMEOUT_MS),
    };
    for (const name of ['a', 'b', 'c']) instances.push(new Instance(name, env));
  }, 120_000);

  afterAll(async () => {
    await Promise.all(instances.map((instance) => instance.stop()));
    await snapshots?.stop();
    await admin?.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin?.disconnect();
    await db?.drop();
  }, 60_000);

  async function watchedBy(instance: Instance): Promise<string[]> {
    const response = await fetch(`${instance.url}/watched-cameras`, {
      headers: { authorization: `Bearer ${token}` },
    });
    if (!response.ok) throw new Error(`${instance.name}: ${response.status}`);
    const body = (await response.json()) as { cameras: { cameraId: string }[] };
    return body.cameras.map((c) => c.cameraId).sort();
  }

  /** Waits until the instances watch every camera exactly once between them, each at least `least`. */
  async function settled(running: Instance[], least: number) {
    let last = '';
    try {
      return await eventually(
        async () => {
          const each = await Promise.all(running.map(watchedBy));
          last = JSON.stringify(each.map((w) => w.length));
          const all = each.flat().sort();
          const whole = JSON.stringify(all) === JSON.stringify([...cameraIds].sort());
          return whole && each.every((w) => w.length >= least) ? each : null;
        },
        {
          timeoutMs: 90_000,
          intervalMs: 500,
          message: `cameras spread over ${running.map((i) => i.name).join(', ')}`,
        },
      );
    } catch (error) {
      const tails = running.map((i) => `--- ${i.name}:\n${i.tail()}`).join('\n');
      throw new Error(`${(error as Error).message}; cameras per instance ${last}\n${tails}`);
    }
  }

  it('splits the cameras between two instances, moves all to the survivor after kill -9, and shares with a newcomer', async () => {
    const [a, b, c] = instances;
    await a.start();
    await b.start();
    const [ofA, ofB] = await settled([a, b], 1);
    expect(ofA.length + ofB.length).toBe(CAMERAS);

    await a.kill9();
    const [afterKill] = await settled([b], CAMERAS);
    expect(afterKill).toHaveLength(CAMERAS);

    await c.start();
    const [ofB2, ofC] = await settled([b, c], 1);
    expect(ofB2.length + ofC.length).toBe(CAMERAS);
    expect(ofC.length).toBeGreaterThan(0);
    // Each camera was being read by its watcher, not merely listed.
    expect(cameraIds.every((_, i) => (snapshots.requests.get(`cam-${i}`) ?? 0) > 0)).toBe(true);
  }, 300_000);
});
