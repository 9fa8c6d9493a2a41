import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { LocalIssuer } from '@safecity/security';
import { v8FlagsOf } from '../node-flags';
import { serviceSettings } from '../service-env';
import {
  brokerMarker,
  formatBrokers,
  launchBroker,
  stopBroker,
  waitForBrokers,
  type BrokerState,
} from './kafka-nodes';
import {
  adminUrl,
  ensureDatabase,
  initPostgres,
  postgresPid,
  startPostgres,
  stopPostgres,
  type PostgresState,
} from './postgres-server';
import { freePorts, isAlive, sleep, spawnDetached, tail, terminate, waitFor } from './processes';
import { sizedPlan } from '../topics/topic-plan';

export const ROOT = resolve(__dirname, '../..');

/** The services of the platform, in the order they are started (camera-registry first: the others ask it). */
export const SERVICES = [
  'camera-registry',
  'recognition',
  'incidents',
  'prevention',
  'video-analytics',
  'console',
] as const;
export type ServiceName = (typeof SERVICES)[number];

/** Services that take part in event processing, and whose gRPC API other services call. */
const GRPC_SERVICES: readonly ServiceName[] = ['camera-registry', 'recognition', 'incidents', 'prevention'];

export interface InstanceState {
  service: ServiceName;
  /** 1-based. */
  instance: number;
  httpPort: number;
  grpcPort?: number;
  log: string;
  pid?: number;
}

export interface ClusterState {
  dir: string;
  startedAt: string;
  partitions: number;
  brokers: BrokerState[];
  postgres: PostgresState;
  databaseUrl: string;
  issuerDir: string;
  mediaDir: string;
  /** Keys the services seal data with, made once per cluster (as a deployment's secrets would be). */
  faceTemplateKey: string;
  mediaCredentialsKey: string;
  logLevel: string;
  instances: InstanceState[];
}

export interface ClusterOptions {
  dir: string;
  brokers: number;
  partitions: number;
  /** Instances per service; a service left out (or 0) is not started. */
  instances: Partial<Record<ServiceName, number>>;
  logLevel?: string;
  /** Progress lines while starting. */
  progress?: (line: string) => void;
}

export const DEFAULT_INSTANCES: Record<ServiceName, number> = {
  'camera-registry': 1,
  recognition: 1,
  incidents: 1,
  prevention: 1,
  'video-analytics': 1,
  console: 1,
};

const STATE_FILE = 'cluster.json';
const SERVICE_START_TIMEOUT_MS = 180_000;

/**
 * The production topology on one machine: Kafka in KRaft mode (one or several nodes), PostgreSQL,
 * and every service as processes of its own, each instance with its own ports and log. Its state
 * (pids, ports, keys) is kept in `dir`, so a later command can stop it, restart a part of it, or
 * say what runs.
 */
export class Cluster {
  private constructor(readonly state: ClusterState) {}

  static stateFile(dir: string): string {
    return join(resolve(dir), STATE_FILE);
  }

  static load(dir: string): Cluster | null {
    const file = Cluster.stateFile(dir);
    if (!existsSync(file)) return null;
    return new Cluster(JSON.parse(readFileSync(file, 'utf8')) as ClusterState);
  }

  /** Starts everything; a cluster already running from `dir` is refused (stop it first). */
  static async start(options: ClusterOptions): Promise<Cluster> {
    const dir = resolve(options.dir);
    const existing = Cluster.load(dir);
    if (existing && existing.running().length > 0) {
      throw new Error(`a cluster already runs from ${dir} (npm run cluster -- stop)`);
    }
    const progress = options.progress ?? (() => undefined);
    mkdirSync(join(dir, 'logs'), { recursive: true });
    // As root, PostgreSQL runs as the `postgres` user, which must reach its data directory.
    chmodSync(dir, 0o755);
    const plan = SERVICES.flatMap((service) =>
      Array.from({ length: options.instances[service] ?? 0 }, (_, i) => ({ service, instance: i + 1 })),
    );
    const ports = await freePorts(options.brokers * 2 + 1 + plan.length * 2);
    const take = () => ports.shift()!;
    const brokers: BrokerState[] = Array.from({ length: options.brokers }, (_, i) => ({
      nodeId: i + 1,
      port: take(),
      controllerPort: take(),
      dataDir: join(dir, `kafka-${i + 1}`),
      log: join(dir, 'logs', `kafka-${i + 1}.log`),
    }));
    const postgres: PostgresState = {
      port: take(),
      dataDir: join(dir, 'postgres'),
      log: join(dir, 'logs', 'postgres.log'),
      user: 'postgres',
      password: randomBytes(12).toString('base64url'),
      database: 'safecity',
    };
    // Kept from an earlier run of the same folder: the data was written with these.
    const previous = existing?.state;
    const state: ClusterState = {
      dir,
      startedAt: new Date().toISOString(),
      partitions: options.partitions,
      brokers,
      postgres: previous ? { ...previous.postgres, port: postgres.port } : postgres,
      databaseUrl: '',
      issuerDir: join(dir, 'issuer'),
      mediaDir: join(dir, 'recognition-media'),
      faceTemplateKey: previous?.faceTemplateKey ?? randomBytes(32).toString('base64'),
      mediaCredentialsKey: previous?.mediaCredentialsKey ?? randomBytes(32).toString('base64'),
      logLevel: options.logLevel ?? 'info',
      instances: plan.map(({ service, instance }) => ({
        service,
        instance,
        httpPort: take(),
        grpcPort: GRPC_SERVICES.includes(service) ? take() : undefined,
        log: join(dir, 'logs', `${service}-${instance}.log`),
      })),
    };
    const cluster = new Cluster(state);
    cluster.save();
    try {
      progress(`kafka: ${brokers.length} node(s)`);
      await formatBrokers(ROOT, state.brokers, dir);
      for (const broker of state.brokers) await launchBroker(ROOT, broker);
      cluster.save();
      progress('postgresql');
      await initPostgres(state.postgres);
      await startPostgres(state.postgres);
      state.databaseUrl = await ensureDatabase(state.postgres);
      cluster.save();
      await waitForBrokers(state.brokers);
      progress('migrations (npm run migrate -- all)');
      await runTool(
        'tools/migrate.ts',
        ['all'],
        { DATABASE_URL: state.databaseUrl },
        join(dir, 'logs', 'migrate.log'),
      );
      progress(`topics (npm run topics -- apply), ${state.partitions} partitions`);
      await cluster.applyTopics();
      // The issuer's key is made before the services open it, so they all read the same one.
      await LocalIssuer.open({ directory: state.issuerDir });
      progress(`services: ${plan.map((p) => `${p.service}-${p.instance}`).join(', ')}`);
      const [first, ...rest] = SERVICES.filter((s) => (options.instances[s] ?? 0) > 0);
      if (first) await Promise.all(cluster.instancesOf(first).map((i) => cluster.startInstance(i)));
      await Promise.all(rest.flatMap((s) => cluster.instancesOf(s).map((i) => cluster.startInstance(i))));
      return cluster;
    } catch (error) {
      await cluster.stop().catch(() => undefined);
      throw error;
    }
  }

  get brokers(): string {
    return this.state.brokers.map((b) => `127.0.0.1:${b.port}`).join(',');
  }

  instancesOf(service: ServiceName): InstanceState[] {
    return this.state.instances.filter((i) => i.service === service);
  }

  instance(service: ServiceName, n: number): InstanceState {
    const found = this.state.instances.find((i) => i.service === service && i.instance === n);
    if (!found) throw new Error(`no instance ${service}-${n}`);
    return found;
  }

  httpUrl(instance: InstanceState): string {
    return `http://127.0.0.1:${instance.httpPort}`;
  }

  /** What runs now: one line per process. */
  running(): string[] {
    const up: string[] = [];
    for (const b of this.state.brokers)
      if (isAlive(b.pid, brokerMarker(b))) up.push(`kafka-${b.nodeId} (pid ${b.pid})`);
    const pgPid = postgresPid(this.state.postgres);
    if (pgPid) up.push(`postgres (pid ${pgPid})`);
    for (const i of this.state.instances)
      if (isAlive(i.pid, mainOf(i.service))) up.push(`${i.service}-${i.instance} (pid ${i.pid})`);
    return up;
  }

  save(): void {
    const file = Cluster.stateFile(this.state.dir);
    writeFileSync(`${file}.tmp`, `${JSON.stringify(this.state, null, 2)}\n`, { mode: 0o600 });
    renameSync(`${file}.tmp`, file);
  }

  /** The topic plan from the platform's own table (`npm run topics -- list`), sized for this cluster, applied. */
  private async applyTopics(): Promise<void> {
    const replicas = Math.min(3, this.state.brokers.length);
    const plan = sizedPlan({ partitions: this.state.partitions, replicationFactor: replicas });
    const file = join(this.state.dir, 'topics.json');
    writeFileSync(file, `${JSON.stringify(plan, null, 2)}\n`);
    // Safe to apply again: on a fresh cluster of several nodes a topic just created may not yet be
    // known to every node, which the tool's next metadata request can hit.
    for (let attempt = 1; ; attempt++) {
      try {
        await runTool(
          'tools/kafka-topics.ts',
          ['apply', file],
          { KAFKA_BROKERS: this.brokers },
          join(this.state.dir, 'logs', 'topics.log'),
        );
        return;
      } catch (error) {
        if (attempt >= 5) throw error;
        await sleep(2_000 * attempt);
      }
    }
  }

  /** The environment of one instance: only what its config class reads (tools/service-env.ts). */
  environment(instance: InstanceState): Record<string, string> {
    const s = this.state;
    const grpcOf = (service: ServiceName) => {
      // Clients call the first instance: there is no load balancer in front of gRPC here.
      const target = this.instancesOf(service)[0];
      return target?.grpcPort ? `127.0.0.1:${target.grpcPort}` : undefined;
    };
    const httpOf = (service: ServiceName) => {
      const target = this.instancesOf(service)[0];
      return target ? this.httpUrl(target) : undefined;
    };
    const env: Record<string, string | undefined> = {
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: String(instance.httpPort),
      LOCAL_ISSUER_DIR: s.issuerDir,
    };
    if (instance.service !== 'console') {
      Object.assign(env, {
        DATABASE_URL: s.databaseUrl,
        KAFKA_BROKERS: this.brokers,
        LOG_LEVEL: s.logLevel,
        GRPC_URL: instance.grpcPort ? `127.0.0.1:${instance.grpcPort}` : undefined,
      });
    }
    switch (instance.service) {
      case 'camera-registry':
        env.MEDIA_CREDENTIALS_KEY = s.mediaCredentialsKey;
        break;
      case 'recognition':
        env.CAMERA_REGISTRY_GRPC_URL = grpcOf('camera-registry');
        env.FACE_TEMPLATE_KEY = s.faceTemplateKey;
        env.MEDIA_DIR = s.mediaDir;
        break;
      case 'incidents':
        env.CAMERA_REGISTRY_GRPC_URL = grpcOf('camera-registry');
        env.RECOGNITION_GRPC_URL = grpcOf('recognition');
        break;
      case 'video-analytics':
        env.RECOGNITION_URL = httpOf('recognition');
        env.MEDIA_CREDENTIALS_KEY = s.mediaCredentialsKey;
        break;
      case 'console':
        env.CAMERA_REGISTRY_URL = httpOf('camera-registry');
        env.RECOGNITION_URL = httpOf('recognition');
        env.INCIDENTS_URL = httpOf('incidents');
        env.PREVENTION_URL = httpOf('prevention');
        env.PUBLIC_URL = `http://127.0.0.1:${instance.httpPort}`;
        break;
      default:
        break;
    }
    const reads = new Set(serviceSettings()[instance.service] ?? []);
    const result: Record<string, string> = {};
    for (const [name, value] of Object.entries(env)) {
      if (value === undefined) continue;
      if (!reads.has(name))
        throw new Error(`${instance.service} does not read ${name} (tools/service-env.ts)`);
      result[name] = value;
    }
    return result;
  }

  async startInstance(instance: InstanceState): Promise<void> {
    if (!isAlive(instance.pid, mainOf(instance.service))) {
      writeFileSync(instance.log, `--- ${new Date().toISOString()} start\n`, { flag: 'a' });
      // The young generation production gives the services (the image's NODE_OPTIONS) and the
      // service's own flags (the image's command).
      const args = [
        '--max-semi-space-size=64',
        ...v8FlagsOf(instance.service),
        '-r',
        '@swc-node/register',
        mainOf(instance.service),
      ];
      instance.pid = spawnDetached(process.execPath, args, {
        cwd: ROOT,
        env: { ...baseEnvironment(), ...this.environment(instance) },
        log: instance.log,
      });
      this.save();
    }
    await this.waitUntilServing(instance);
  }

  /** Until the instance answers HTTP (`/health/live`), or its process has exited. */
  async waitUntilServing(instance: InstanceState, timeoutMs = SERVICE_START_TIMEOUT_MS): Promise<void> {
    const url = `${this.httpUrl(instance)}${instance.service === 'console' ? '/' : '/health/live'}`;
    const up = await waitFor(
      async () => {
        if (!isAlive(instance.pid, mainOf(instance.service)))
          throw new Error(`${instance.service}-${instance.instance} exited:\n${tail(instance.log)}`);
        try {
          const response = await fetch(url, { signal: AbortSignal.timeout(2_000), redirect: 'manual' });
          return response.status < 500;
        } catch {
          return false;
        }
      },
      timeoutMs,
      250,
    );
    if (!up)
      throw new Error(
        `${instance.service}-${instance.instance} did not serve ${url} within ${timeoutMs / 1000} s:\n${tail(instance.log)}`,
      );
  }

  /** kill -9 of an instance (a crashed pod), or SIGTERM (a rolling restart). */
  async stopInstance(instance: InstanceState, crash: boolean): Promise<void> {
    if (instance.pid)
      await terminate(instance.pid, mainOf(instance.service), crash ? 'SIGKILL' : 'SIGTERM', 20_000);
    instance.pid = undefined;
    this.save();
  }

  async stopBroker(nodeId: number, crash: boolean): Promise<void> {
    await stopBroker(this.broker(nodeId), crash);
    this.save();
  }

  async startBroker(nodeId: number): Promise<void> {
    await launchBroker(ROOT, this.broker(nodeId));
    this.save();
  }

  /** Until the broker accepts clients again (and every node is registered). */
  async waitForBrokers(): Promise<void> {
    await waitForBrokers(this.state.brokers);
  }

  private broker(nodeId: number): BrokerState {
    const broker = this.state.brokers.find((b) => b.nodeId === nodeId);
    if (!broker) throw new Error(`no Kafka node ${nodeId}`);
    return broker;
  }

  stopPostgres(mode: 'immediate' | 'fast'): Promise<void> {
    return stopPostgres(this.state.postgres, mode);
  }

  async startPostgres(): Promise<void> {
    await startPostgres(this.state.postgres);
  }

  adminDatabaseUrl(): string {
    return adminUrl(this.state.postgres, this.state.postgres.database);
  }

  /** Stops everything this cluster started: services first, then Kafka and PostgreSQL. */
  async stop(): Promise<void> {
    await Promise.all(this.state.instances.map((i) => this.stopInstance(i, false).catch(() => undefined)));
    await Promise.all(this.state.brokers.map((b) => stopBroker(b, false).catch(() => undefined)));
    await stopPostgres(this.state.postgres, 'fast').catch(() => undefined);
    this.save();
  }

  /** Every endpoint, for people: HTTP, gRPC, Kafka, PostgreSQL, logs, tokens. */
  summary(): string[] {
    const s = this.state;
    const rows: string[] = [];
    for (const i of s.instances) {
      const http = this.httpUrl(i);
      const name = `${i.service}-${i.instance}`.padEnd(18);
      rows.push(
        i.service === 'console'
          ? `  ${name} ${http}  (sign in with the local issuer)`
          : `  ${name} ${http}  (OpenAPI ${http}/docs, health ${http}/health/ready, metrics ${http}/metrics)` +
              (i.grpcPort ? `\n  ${''.padEnd(18)} gRPC 127.0.0.1:${i.grpcPort}` : ''),
      );
    }
    const replicas = Math.min(3, s.brokers.length);
    return [
      `Safe City platform, production topology (state and logs in ${s.dir})`,
      `  kafka              ${this.brokers}  (KRaft, ${s.brokers.length} node(s), ${s.partitions} partitions per topic, replication ${replicas}, min.insync.replicas ${Math.max(1, replicas - 1)})`,
      `  postgresql         ${adminUrl(s.postgres, s.postgres.database).replace(/:[^:@/]+@/, ':***@')}  (password in ${Cluster.stateFile(s.dir)})`,
      ...rows,
      `  logs               ${join(s.dir, 'logs')}/<service>-<n>.log, kafka-<n>.log, postgres.log`,
      `  token              npm run -s token -- --issuer-dir ${s.issuerDir} --role admin --region all`,
      '  stop               npm run cluster -- stop      (status: npm run cluster -- status)',
    ];
  }
}

export function mainOf(service: ServiceName): string {
  return `services/${service}/src/main.ts`;
}

/** What a service process inherits from this one: the system's, never another platform's settings. */
function baseEnvironment(): NodeJS.ProcessEnv {
  const keep = [
    'PATH',
    'HOME',
    'LANG',
    'LC_ALL',
    'TZ',
    'TMPDIR',
    'JAVA_HOME',
    'NODE_OPTIONS',
    'SWC_NODE_PROJECT',
  ];
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (keep.includes(name) || name.startsWith('OTEL_')) env[name] = value;
  }
  return env;
}

/** Runs one of the repository's tools (`node -r @swc-node/register tools/…`) to completion. */
function runTool(
  script: string,
  args: string[],
  env: Record<string, string>,
  log: string,
  stdoutOnly = false,
): Promise<string> {
  return new Promise((resolvePromise, reject) =>
    execFile(
      process.execPath,
      ['-r', '@swc-node/register', script, ...args],
      { cwd: ROOT, env: { ...baseEnvironment(), ...env }, timeout: 300_000, maxBuffer: 32 * 1024 * 1024 },
      (error, stdout, stderr) => {
        writeFileSync(log, `$ ${script} ${args.join(' ')}\n${stdoutOnly ? '' : stdout}${stderr}`, {
          flag: 'a',
        });
        if (error)
          reject(new Error(`${script} ${args.join(' ')} failed: ${stderr || stdout || error.message}`));
        else resolvePromise(stdout);
      },
    ),
  );
}

export { sleep };
