/**
 * Lists and replays dead letters on Kafka (KAFKA_BROKERS):
 *   npm run dlq -- list safecity.cameras.v1.dlq [--limit 50]
 *   npm run dlq -- replay safecity.cameras.v1.dlq [--group safecity.recognition] [--id <ce_id>]
 * A replay sends each dead letter back through `<topic>.retry` to the consumer group that failed,
 * and remembers what it replayed, so running it twice does not replay twice.
 */
import { DeadLetterAdmin, type DeadLetter } from '@safecity/messaging';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}

function describe(letter: DeadLetter) {
  return {
    dlq: `${letter.topic}[${letter.partition}]@${letter.offset}`,
    original: `${letter.originalTopic}[${letter.originalPartition}]@${letter.originalOffset}`,
    id: letter.headers['ce_id'],
    type: letter.headers['ce_type'],
    key: letter.key,
    group: letter.consumerGroup,
    attempts: letter.attempts,
    failedAt: letter.failedAt,
    error: letter.error,
    bytes: letter.value.length,
  };
}

async function main() {
  const [command, topic] = process.argv.slice(2);
  const brokers = process.env.KAFKA_BROKERS;
  if (!brokers) throw new Error('KAFKA_BROKERS is not set');
  if (!topic || !['list', 'replay'].includes(command)) {
    throw new Error('usage: npm run dlq -- <list|replay> <topic>.dlq [--limit N] [--group G] [--id CE_ID]');
  }
  const admin = new DeadLetterAdmin({ brokers, clientId: 'dlq-cli' });
  if (command === 'list') {
    const letters = await admin.list(topic, { limit: Number(option('limit') ?? 1000) });
    for (const letter of letters) process.stdout.write(`${JSON.stringify(describe(letter))}\n`);
    process.stdout.write(`${letters.length} dead letter(s) on ${topic}\n`);
    return;
  }
  const group = option('group');
  const id = option('id');
  const replayed = await admin.replay(topic, {
    select: (l) => (!group || l.consumerGroup === group) && (!id || l.headers['ce_id'] === id),
  });
  for (const letter of replayed) process.stdout.write(`replayed ${JSON.stringify(describe(letter))}\n`);
  process.stdout.write(`${replayed.length} dead letter(s) replayed from ${topic}\n`);
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
