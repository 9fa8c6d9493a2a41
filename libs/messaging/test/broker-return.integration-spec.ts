import { Controller, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventPattern, Payload } from '@nestjs/microservices';
import { eventually, KafkaBroker } from '@safecity/testing';
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { cloudEventHeaders, type ConsumedEvent } from '../src/envelope';
import { EventErrorPassthroughFilter, eventConsumerStrategy } from '../src/event-transport';

const TOPIC = `safecity.broker-return-${randomUUID().slice(0, 8)}.v1`;
const TYPE = 'kz.safecity.test.v1.ThingSeen';
const OUTAGE_MS = 8_000;
/** What the platform promises: consumers fetch again this soon after their broker is back. */
const FETCH_AGAIN_WITHIN_MS = 5_000;

const received: { key: string | null; at: number }[] = [];

@Controller()
class ThingsConsumer {
  @EventPattern(TOPIC)
  onThing(@Payload() event: ConsumedEvent) {
    received.push({ key: event.key, at: Date.now() });
  }
}

/*
 * The only broker of a consumer stops and comes back on the same port: the consumer fetches again
 * within seconds of the broker accepting connections, however long it was away. A broker of the
 * test's own, so that the others' suites keep theirs.
 */
describe('a consumer whose broker stops and returns (real broker of its own)', () => {
  const broker = new KafkaBroker();
  let consumer: INestMicroservice;

  const produce = async (key: string) => {
    const kafka = new Kafka({
      brokers: [broker.brokers],
      logLevel: logLevel.NOTHING,
      clientId: 'return-test',
    });
    const producer = kafka.producer();
    await producer.connect();
    const id = randomUUID();
    const value = Buffer.from(key);
    await producer.send({
      topic: TOPIC,
      messages: [
        {
          key,
          value,
          headers: cloudEventHeaders({ topic: TOPIC, key, type: TYPE, payload: value, id }, '/test'),
        },
      ],
    });
    await producer.disconnect();
  };

  beforeAll(async () => {
    await broker.start();
    const strategy = eventConsumerStrategy({
      serviceName: `broker-return-${randomUUID().slice(0, 8)}`,
      transport: { kind: 'kafka', connection: { brokers: broker.brokers, clientId: 'return-test' } },
      codecs: (type) => (type === TYPE ? { decode: (b) => b } : undefined),
    });
    consumer = await NestFactory.createMicroservice(
      { module: class BrokerReturnModule {}, controllers: [ThingsConsumer] } as never,
      { ...strategy, logger: false },
    );
    consumer.useGlobalFilters(new EventErrorPassthroughFilter());
    await consumer.listen();
    await produce('before');
    await eventually(() => received.some((r) => r.key === 'before'), {
      timeoutMs: 30_000,
      message: 'the first event',
    });
  }, 90_000);

  afterAll(async () => {
    await consumer?.close();
    await broker.stop();
  }, 30_000);

  it(`fetches again within ${FETCH_AGAIN_WITHIN_MS / 1000} s of the broker's return`, async () => {
    await broker.stop();
    await new Promise((r) => setTimeout(r, OUTAGE_MS));
    await broker.start();
    const back = Date.now();
    await produce('after');
    const after = await eventually(() => received.find((r) => r.key === 'after'), {
      timeoutMs: 60_000,
      intervalMs: 100,
      message: 'an event produced after the broker returned',
    });
    const delay = after.at - back;
    process.stdout.write(`consumer fetched again ${delay} ms after the broker returned\n`);
    expect(delay).toBeLessThan(FETCH_AGAIN_WITHIN_MS);
  }, 90_000);
});
