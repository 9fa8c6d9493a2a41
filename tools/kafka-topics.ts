/**
 * The platform's Kafka topics, from libs/contracts:
 *   npm run -s topics -- list                 the topics the platform uses, as JSON (the Helm chart's
 *                                             deploy/helm/safecity/files/topics.json is this output)
 *   KAFKA_BROKERS=… npm run topics -- apply plan.json
 *                                             creates, enlarges and configures topics as the plan says
 * A plan (`{ "topics": [{ "name", "partitions", "replicationFactor", "config": {…} }] }`, as the
 * chart renders it) must name every topic the platform uses with the settings the contract
 * requires; otherwise nothing is applied.
 */
import { Kafka, logLevel } from 'kafkajs';
import { readFileSync } from 'node:fs';
import { applyTopicPlan, checkPlan, topicTable, type TopicPlan } from './topics/topic-plan';

async function main() {
  const [command, file] = process.argv.slice(2);
  if (command === 'list') {
    process.stdout.write(`${JSON.stringify(topicTable(), null, 2)}\n`);
    return;
  }
  if (command !== 'apply' || !file) throw new Error('usage: npm run topics -- <list | apply plan.json>');
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

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
