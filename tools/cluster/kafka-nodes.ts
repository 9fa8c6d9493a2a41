import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { javaBin, KAFKA_JVM_FLAGS, KafkaBroker } from '../../libs/testing/src/kafka';
import { Kafka, logLevel } from 'kafkajs';
import { isAlive, spawnDetached, tail, terminate, waitFor } from './processes';

export interface BrokerState {
  nodeId: number;
  port: number;
  controllerPort: number;
  dataDir: string;
  log: string;
  pid?: number;
}

const READY_TIMEOUT_MS = 90_000;

function properties(root: string, broker: BrokerState, all: BrokerState[]): string {
  const template = readFileSync(join(root, 'deploy/kafka/server.properties.template'), 'utf8')
    .replace(/@PORT@/g, String(broker.port))
    .replace(/@CONTROLLER_PORT@/g, String(broker.controllerPort))
    .replace(/@LOG_DIR@/g, join(broker.dataDir, 'logs').replace(/\\/g, '\\\\'));
  if (all.length === 1) return template;
  const replicas = Math.min(3, all.length);
  const minInsync = Math.max(1, replicas - 1);
  return [
    template,
    '# A cluster of several nodes (npm run cluster -- --brokers N)',
    `node.id=${broker.nodeId}`,
    `controller.quorum.voters=${all.map((b) => `${b.nodeId}@127.0.0.1:${b.controllerPort}`).join(',')}`,
    `offsets.topic.replication.factor=${replicas}`,
    `transaction.state.log.replication.factor=${replicas}`,
    `transaction.state.log.min.isr=${minInsync}`,
    `default.replication.factor=${replicas}`,
    `min.insync.replicas=${minInsync}`,
    '',
  ].join('\n');
}

function javaArgs(libs: string, root: string): string[] {
  return [
    '-cp',
    join(libs, '*'),
    ...KAFKA_JVM_FLAGS,
    `-Dlog4j.configuration=file:${join(root, 'deploy/kafka/log4j.properties')}`,
  ];
}

/** Formats every node's storage under one cluster id (once: a formatted node keeps its data). */
export async function formatBrokers(root: string, brokers: BrokerState[], stateDir: string): Promise<void> {
  const libs = await KafkaBroker.resolveJars();
  const idFile = join(stateDir, 'kafka-cluster.id');
  if (!existsSync(idFile)) {
    let id: string;
    do id = randomBytes(16).toString('base64url');
    while (id.startsWith('-'));
    writeFileSync(idFile, `${id}\n`);
  }
  const clusterId = readFileSync(idFile, 'utf8').trim();
  for (const broker of brokers) {
    mkdirSync(broker.dataDir, { recursive: true });
    const props = join(broker.dataDir, 'server.properties');
    writeFileSync(props, properties(root, broker, brokers));
    if (existsSync(join(broker.dataDir, 'logs', 'meta.properties'))) continue;
    await new Promise<void>((resolve, reject) =>
      execFile(
        javaBin(),
        [...javaArgs(libs, root), 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', props],
        { timeout: 120_000 },
        (error, stdout, stderr) =>
          error
            ? reject(new Error(`formatting Kafka node ${broker.nodeId}: ${stderr || stdout}`))
            : resolve(),
      ),
    );
  }
}

/** The marker that identifies a broker's JVM in the process table. */
export function brokerMarker(broker: BrokerState): string {
  return join(broker.dataDir, 'server.properties');
}

export async function launchBroker(root: string, broker: BrokerState): Promise<void> {
  if (isAlive(broker.pid, brokerMarker(broker))) return;
  const libs = await KafkaBroker.resolveJars();
  broker.pid = spawnDetached(javaBin(), [...javaArgs(libs, root), 'kafka.Kafka', brokerMarker(broker)], {
    cwd: root,
    env: process.env,
    log: broker.log,
  });
}

/** Waits until every broker answers and the cluster's metadata lists all of them. */
export async function waitForBrokers(brokers: BrokerState[], timeoutMs = READY_TIMEOUT_MS): Promise<void> {
  const kafka = new Kafka({
    clientId: 'cluster-probe',
    brokers: brokers.map((b) => `127.0.0.1:${b.port}`),
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1_000,
    requestTimeout: 3_000,
    retry: { retries: 0 },
  });
  let lastError = 'no answer';
  const ready = await waitFor(
    async () => {
      for (const broker of brokers) {
        if (broker.pid && !isAlive(broker.pid, brokerMarker(broker)))
          throw new Error(`Kafka node ${broker.nodeId} exited:\n${tail(broker.log)}`);
      }
      const admin = kafka.admin();
      try {
        await admin.connect();
        const { brokers: live } = await admin.describeCluster();
        if (live.length === brokers.length) return true;
        lastError = `${live.length} of ${brokers.length} brokers registered`;
      } catch (error) {
        lastError = (error as Error).message;
      } finally {
        await admin.disconnect().catch(() => undefined);
      }
      return false;
    },
    timeoutMs,
    500,
  );
  if (!ready) throw new Error(`Kafka not ready within ${timeoutMs / 1000} s (${lastError})`);
}

/** kill -9 (a crash) or SIGTERM (a clean shutdown) of one broker. */
export async function stopBroker(broker: BrokerState, crash: boolean): Promise<void> {
  if (!broker.pid) return;
  await terminate(broker.pid, brokerMarker(broker), crash ? 'SIGKILL' : 'SIGTERM', 30_000);
  broker.pid = undefined;
}
