import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { cloudEventHeaders } from '@safecity/messaging';
import { describeKafka, eventually, killHard, stopGracefully } from '@safecity/testing';
import { Kafka, logLevel, type Admin, type Producer } from 'kafkajs';

const ROOT = join(__dirname, '../../..');
const PARTITIONS = 4;
/** What the platform promises: a killed instance's partitions are consumed again within this. */
const TAKEN_OVER_WITHIN_MS = 10_000;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** A consuming service instance as its own OS process; `handled` holds what it consumed. */
class Instance {
  private child: ChildProcess | null = null;
  private output = '';
  readonly handled: { partition: number; at: number }[] = [];
  port = 0;

  constructor(
    readonly name: string,
    private readonly env: Record<string, string>,
  ) {}

  async spawn(): Promise<number> {
    this.port = await freePort();
    this.output = '';
    const child = spawn(
      process.execPath,
      ['-r', '@swc-node/register', 'libs/service-kit/test/fixtures/consumer-instance.ts'],
      {
        cwd: ROOT,
        env: { ...process.env, ...this.env, HTTP_PORT: String(this.port), LOG_LEVEL: 'warn' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    this.child = child;
    let pending = '';
    child.stdout?.on('data', (d: Buffer) => {
      pending += d.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        this.output += `${line}\n`;
        const m = /^handled (\d+) \S+ (\d+)$/.exec(line);
        if (m) this.handled.push({ partition: Number(m[1]), at: Number(m[2]) });
      }
    });
    child.stderr?.on('data', (d) => (this.output += d));
    return Date.now();
  }

  get started(): boolean {
    return /^started /m.test(this.output);
  }

  async health(): Promise<{ status: string; checks: Record<string, { status: string }> } | null> {
    if (this.child?.exitCode !== null) throw new Error(`${this.name} exited: ${this.output.slice(-2000)}`);
    try {
      const response = await fetch(`http://127.0.0.1:${this.port}/health`);
      return (await response.json()) as { status: string; checks: Record<string, { status: string }> };
    } catch {
      return null;
    }
  }

  kill9(): Promise<void> {
    return killHard(this.child);
  }

  stop(): Promise<void> {
    return stopGracefully(this.child);
  }

  tail(): string {
    return this.output.slice(-1500);
  }
}

/*
 * Two instances of a service share a topic's partitions. One is killed with kill -9, as a crashed
 * pod is: the other consumes its partitions within seconds, not after the old 30 s session. The
 * killed one, started again, serves HTTP before its consumer has rejoined the group.
 */
describeKafka('consumer group failover between service processes (real broker)', (brokers) => {
  const topic = `safecity.failover-${randomUUID().slice(0, 8)}.v1`;
  let admin: Admin;
  let producer: Producer;
  let producing: NodeJS.Timeout | undefined;
  const instances: Instance[] = [];

  beforeAll(async () => {
    const kafka = new Kafka({
      clientId: 'failover-test',
      brokers: brokers().split(','),
      logLevel: logLevel.NOTHING,
    });
    admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS }], waitForLeaders: true });
    producer = kafka.producer();
    await producer.connect();
    const env = {
      KAFKA_BROKERS: brokers(),
      TOPIC: topic,
      GROUP_SERVICE_NAME: `failover-${randomUUID().slice(0, 8)}`,
      ...(process.env.FAILOVER_SESSION_TIMEOUT_MS
        ? { SESSION_TIMEOUT_MS: process.env.FAILOVER_SESSION_TIMEOUT_MS }
        : {}),
    };
    instances.push(new Instance('a', env), new Instance('b', env));
    // A reading on every partition every 100 ms, for as long as the suite runs.
    let n = 0;
    producing = setInterval(() => {
      const messages = Array.from({ length: PARTITIONS }, (_, partition) => {
        const id = randomUUID();
        const value = Buffer.from(String(n++));
        return {
          partition,
          key: `p${partition}`,
          value,
          headers: cloudEventHeaders(
            { topic, key: `p${partition}`, type: 'kz.safecity.test.v1.Reading', payload: value, id },
            '/test',
          ),
        };
      });
      void producer.send({ topic, messages }).catch(() => undefined);
    }, 100);
  }, 60_000);

  afterAll(async () => {
    if (producing) clearInterval(producing);
    await Promise.all(instances.map((instance) => instance.stop()));
    await producer?.disconnect();
    await admin?.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin?.disconnect();
  }, 60_000);

  /** The partitions `instance` handled an event of in the last second. */
  const recentPartitions = (instance: Instance) =>
    new Set(instance.handled.filter((h) => h.at > Date.now() - 1_000).map((h) => h.partition));

  it(`moves a killed instance's partitions to the survivor within ${TAKEN_OVER_WITHIN_MS / 1000} s, and a restarted one serves HTTP before it rejoins`, async () => {
    const [a, b] = instances;
    await a.spawn();
    await b.spawn();
    // Settled: every partition consumed by exactly one of them, the same way twice a second apart.
    const split = () => {
      const [ofA, ofB] = [recentPartitions(a), recentPartitions(b)];
      const whole = ofA.size > 0 && ofB.size > 0 && ofA.size + ofB.size === PARTITIONS;
      return whole && [...ofA].every((p) => !ofB.has(p)) ? [...ofA].sort().join(',') : null;
    };
    let orphaned: number[] = [];
    await eventually(
      async () => {
        const first = split();
        await new Promise((r) => setTimeout(r, 1_000));
        if (!first || split() !== first) return false;
        orphaned = first.split(',').map(Number);
        return true;
      },
      {
        timeoutMs: 60_000,
        intervalMs: 200,
        message: `both instances consuming (a: ${a.tail()} b: ${b.tail()})`,
      },
    );

    await a.kill9();
    const killedAt = Date.now();
    const takenOver = await eventually(
      () => b.handled.find((h) => h.at > killedAt && orphaned.includes(h.partition)),
      { timeoutMs: 45_000, intervalMs: 100, message: 'the survivor consuming the killed partitions' },
    );
    const failoverMs = takenOver.at - killedAt;
    process.stdout.write(`survivor took the killed instance's partitions after ${failoverMs} ms\n`);
    expect(failoverMs).toBeLessThan(TAKEN_OVER_WITHIN_MS);

    // Restarted: HTTP answers while the consumer is still joining, and the health report says so.
    const spawnedAt = await a.spawn();
    const firstAnswer = await eventually(() => a.health(), {
      timeoutMs: 60_000,
      intervalMs: 50,
      message: `the restarted instance answering HTTP (${a.tail()})`,
    });
    const httpMs = Date.now() - spawnedAt;
    expect(firstAnswer.checks.consumers).toEqual(expect.objectContaining({ status: 'down' }));
    expect(firstAnswer.status).toBe('degraded');
    await eventually(async () => (await a.health())?.checks.consumers?.status === 'up', {
      timeoutMs: 45_000,
      intervalMs: 100,
      message: 'the restarted instance rejoining its group',
    });
    const joinedMs = Date.now() - spawnedAt;
    process.stdout.write(
      `restarted instance: HTTP after ${httpMs} ms, consumer joined after ${joinedMs} ms\n`,
    );
  }, 120_000);
});
