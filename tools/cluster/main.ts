/**
 * The production topology on one machine, without Docker:
 *
 *   npm run cluster [-- start] [--brokers 3] [--instances recognition=2,incidents=2]
 *                   [--partitions 6] [--dir .cluster] [--log-level info]
 *   npm run cluster -- status [--dir .cluster]
 *   npm run cluster -- stop [--dir .cluster]
 *
 * Kafka in KRaft mode (one node, or three with replication 3 and min.insync.replicas 2),
 * PostgreSQL, migrations and topics applied, and every service as processes of its own on free
 * ports. Everything runs in the background; its state and logs are kept in the folder.
 */
import { parseArgs } from 'node:util';
import { Cluster, DEFAULT_INSTANCES, SERVICES, type ServiceName } from './topology';

const USAGE = `usage: npm run cluster -- [start|stop|status] [--brokers N] [--instances service=N,...]
                        [--partitions N] [--dir DIR] [--log-level LEVEL]
services: ${SERVICES.join(', ')} (each 1 instance unless told; 0 leaves one out)`;

export function parseInstances(text: string | undefined): Record<ServiceName, number> {
  const instances = { ...DEFAULT_INSTANCES };
  for (const part of (text ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [name, count] = part.split('=');
    if (!(SERVICES as readonly string[]).includes(name!))
      throw new Error(`--instances: unknown service ${name} (services: ${SERVICES.join(', ')})`);
    const n = Number(count);
    if (!Number.isInteger(n) || n < 0 || n > 8) throw new Error(`--instances: ${part} needs 0–8 instances`);
    instances[name as ServiceName] = n;
  }
  return instances;
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      brokers: { type: 'string', default: '1' },
      instances: { type: 'string' },
      partitions: { type: 'string', default: '6' },
      dir: { type: 'string', default: '.cluster' },
      'log-level': { type: 'string', default: 'info' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const command = positionals[0] ?? 'start';
  if (command === 'status' || command === 'stop') {
    const cluster = Cluster.load(values.dir);
    if (!cluster) {
      process.stdout.write(`no cluster was started from ${values.dir}\n`);
      return command === 'status' ? 1 : 0;
    }
    if (command === 'stop') {
      const before = cluster.running();
      await cluster.stop();
      process.stdout.write(
        `stopped ${before.length} process(es)${before.length ? `: ${before.join(', ')}` : ''}\n`,
      );
      return 0;
    }
    const up = cluster.running();
    const expected = cluster.state.brokers.length + 1 + cluster.state.instances.length;
    process.stdout.write(
      `${cluster.summary().join('\n')}\n\nrunning ${up.length} of ${expected}:\n  ${up.join('\n  ')}\n`,
    );
    return up.length === expected ? 0 : 1;
  }
  if (command !== 'start') throw new Error(`unknown command ${command}\n${USAGE}`);
  const brokers = Number(values.brokers);
  if (![1, 3].includes(brokers)) throw new Error('--brokers must be 1 or 3');
  const partitions = Number(values.partitions);
  if (!Number.isInteger(partitions) || partitions < 1 || partitions > 64)
    throw new Error('--partitions must be 1–64');
  const started = Date.now();
  const cluster = await Cluster.start({
    dir: values.dir,
    brokers,
    partitions,
    instances: parseInstances(values.instances),
    logLevel: values['log-level'],
    progress: (line) => process.stdout.write(`starting ${line}\n`),
  });
  process.stdout.write(
    `\n${cluster.summary().join('\n')}\n\nup in ${((Date.now() - started) / 1000).toFixed(0)} s\n`,
  );
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`cluster: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
