import { parentPort, workerData } from 'node:worker_threads';
import { DataSource } from 'typeorm';
import { KafkaEventClient } from '../kafka/kafka-event.client';
import { OutboxRelay } from './outbox-relay';
import type { RelayThreadData, RelayThreadMessage } from './threaded-outbox-relay';

/**
 * The outbox relay of a service, alone on a worker thread: its own connections to PostgreSQL and
 * Kafka, woken by the service's commits, reporting what it published and whether it is healthy.
 */
async function main() {
  const port = parentPort!;
  const data = workerData as RelayThreadData;
  const post = (message: RelayThreadMessage) => port.postMessage(message);
  const dataSource = await new DataSource(data.dataSource).initialize();
  const publisher = new KafkaEventClient(data.connection, { topicConfigs: data.topicConfigs });
  let reported = { healthy: true, failure: null as string | null };
  const relay = new OutboxRelay(dataSource, publisher, {
    ...data.relay,
    logger: { warn: (message, context) => post({ type: 'warn', message, context }) },
    onPublished: (count) => post({ type: 'published', count }),
  });
  // A recovery shows in the relay's state only; it is read here rather than hooked into the loop.
  setInterval(() => {
    if (relay.healthy === reported.healthy && relay.failure === reported.failure) return;
    reported = { healthy: relay.healthy, failure: relay.failure };
    post({ type: 'status', ...reported });
  }, 250).unref();
  port.on('message', (message: { type: 'wake' } | { type: 'stop' }) => {
    if (message.type === 'wake') {
      relay.wake();
      return;
    }
    void (async () => {
      await relay.stop();
      await publisher.close();
      await dataSource.destroy();
      post({ type: 'stopped' });
      process.exit(0);
    })();
  });
  relay.start();
  post({ type: 'started' });
}

main().catch((error: unknown) => {
  parentPort!.postMessage({
    type: 'warn',
    message: 'outbox relay thread failed to start',
    context: { error: error instanceof Error ? error.message : String(error) },
  } satisfies RelayThreadMessage);
  process.exit(1);
});
