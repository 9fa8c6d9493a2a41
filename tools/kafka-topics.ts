/**
 * The platform's Kafka topics, from libs/contracts:
 *   npm run -s topics -- list                 the topics the platform uses, as JSON (the Helm chart's
 *                                             deploy/helm/safecity/files/topics.json is this output)
 *   npm run -s topics -- plan --partitions 12 --replication-factor 3 [--min-insync-replicas 2]
 *                                             every topic sized alike, as a plan to edit or apply
 *   KAFKA_BROKERS=… npm run topics -- apply plan.json
 *                                             creates, enlarges and configures topics as the plan says
 * A plan (`{ "topics": [{ "name", "partitions", "replicationFactor", "config": {…} }] }`, as the
 * chart renders it) must name every topic the platform uses with the settings the contract
 * requires; otherwise nothing is applied.
 */
import { Kafka, logLevel } from 'kafkajs';
import { readFileSync } from 'node:fs';
import { applyTopicPlan, checkPlan, sizedPlan, topicTable, type TopicPlan } from './topics/topic-plan';

async function main() {
  const [command, file] = process.argv.slice(2);
  if (command === 'list') {
    process.stdout.write(`${JSON.stringify(topicTable(), null, 2)}\n`);
    return;
  }
  if (command === 'plan') {
    process.stdout.write(`${JSON.stringify(sizedPlan(sizingFrom(process.argv.slice(3))), null, 2)}\n`);
    return;
  }
  if (command !== 'apply' || !file)
    throw new Error(
      'usage: npm run topics -- <list | plan --partitions N --replication-factor R [--min-insync-replicas M] | apply plan.json>',
    );
  const brokers = process.env.KAFKA_BROKERS;
  if (!brokers) throw new Error('KAFKA_BROKERS is not set');
  const plan = JSON.parse(readFileSync(file, 'utf8')) as TopicPlan;
  const problems = checkPlan(plan);
  if (problems.length)
    throw new Error(`the topic plan ${file} cannot be applied:\n  ${problems.join('\n  ')}`);

  const admin = new Kafka({
    brokers: brokers.split(','),
    clientId: 'kafka-topics',
    logLevel: logLevel.WARN,
  }).admin();
  await admin.connect();
  try {
    const changes = await applyTopicPlan(admin, plan);
    for (const change of changes)
      process.stdout.write(`${change.topic}: ${change.action} ${change.detail}\n`);
    const kept = changes.filter((c) => c.action === 'kept').length;
    process.stdout.write(
      `${plan.topics.length} topics planned: ${changes.length - kept} change(s) applied, ${kept} difference(s) left as they are\n`,
    );
  } finally {
    await admin.disconnect();
  }
}

function sizingFrom(args: string[]): {
  partitions: number;
  replicationFactor: number;
  minInsyncReplicas?: number;
} {
  const value = (flag: string): number | undefined => {
    const at = args.indexOf(flag);
    if (at < 0) return undefined;
    const parsed = Number(args[at + 1]);
    if (!Number.isInteger(parsed) || parsed < 1)
      throw new Error(`${flag} takes a whole number of at least 1`);
    return parsed;
  };
  const partitions = value('--partitions');
  const replicationFactor = value('--replication-factor');
  if (partitions === undefined || replicationFactor === undefined)
    throw new Error('plan needs --partitions and --replication-factor');
  return { partitions, replicationFactor, minInsyncReplicas: value('--min-insync-replicas') };
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
