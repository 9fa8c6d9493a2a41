import { Controller, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventPattern, Payload } from '@nestjs/microservices';
import { CameraChanged, CameraChangeKind, EventTypes, eventCodecFor } from '@safecity/contracts';
import {
  cloudEventHeaders,
  createMessagingTables,
  EventErrorPassthroughFilter,
  eventConsumerStrategy,
  Inbox,
  KafkaEventClient,
  type BusRecord,
  type ConsumedEvent,
} from '@safecity/messaging';
import { createServiceDataSource, migrateServiceSchema, UnitOfWork } from '@safecity/persistence';
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import type { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { option, rate, startBenchInfra, Stopwatch, table, withTimeout } from './infra';

const PARTITIONS = 3;
const PRODUCE_BATCH = 1_000;

/** A realistic value: the full camera state that travels on safecity.cameras.v1. */
function cameraPayload(n: number): Buffer {
  return Buffer.from(
    CameraChanged.encode({
      kind: CameraChangeKind.CAMERA_CHANGE_KIND_UPDATED,
      camera: {
        id: randomUUID(),
        regionCode: 'ALA',
        districtCode: 'ALA-ALMALY',
        videoSystemId: randomUUID(),
        externalId: `ch-${n}`,
        name: `Abay Ave / Dostyk Ave #${n}`,
        location: { lat: 43.2383, lon: 76.9454 },
        address: 'Abay Ave 52, Almaty',
        directionDeg: 90,
        fieldOfViewDeg: 75,
        mountType: 1,
        capabilities: [1, 3],
        privacyMasks: [],
        tags: ['school'],
        lifecycle: 2,
        status: 1,
        version: n,
        updatedAt: new Date(),
      },
    }).finish(),
  );
}

function records(topic: string, count: number): BusRecord[] {
  return Array.from({ length: count }, (_, n) => {
    const value = cameraPayload(n);
    const key = `camera-${n % 500}`;
    const id = randomUUID();
    return {
      topic,
      key,
      value,
      headers: cloudEventHeaders(
        { topic, key, type: EventTypes.CameraUpdated, payload: value, id },
        '/bench',
      ),
    };
  });
}

async function createTopic(brokers: string, topic: string) {
  const admin = new Kafka({ brokers: brokers.split(','), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS }], waitForLeaders: true });
  await admin.disconnect();
}

async function rawKafka(brokers: string, count: number) {
  const topic = `bench.raw-${randomUUID().slice(0, 8)}.v1`;
  await createTopic(brokers, topic);
  const kafka = new Kafka({ brokers: brokers.split(','), clientId: 'bench-raw', logLevel: logLevel.NOTHING });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 5 });
  await producer.connect();
  const all = records(topic, count);
  const t0 = performance.now();
  for (let i = 0; i < all.length; i += PRODUCE_BATCH) {
    await producer.send({
      topic,
      acks: -1,
      messages: all
        .slice(i, i + PRODUCE_BATCH)
        .map((r) => ({ key: r.key, value: r.value, headers: r.headers })),
    });
  }
  const produceMs = performance.now() - t0;
  await producer.disconnect();

  const watch = new Stopwatch(count);
  const consumer = kafka.consumer({ groupId: `bench-raw-${randomUUID()}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({ partitionsConsumedConcurrently: PARTITIONS, eachMessage: async () => watch.tick() });
  await withTimeout(watch.done, 300_000, 'raw consumption');
  await consumer.disconnect();
  return { produceMs, consumeMs: watch.ms };
}

class BenchMessaging1700000000000 implements MigrationInterface {
  name = 'BenchMessaging1700000000000';
  up(q: QueryRunner) {
    return createMessagingTables(q, 'bench');
  }
  async down() {}
}

async function platform(brokers: string, dataSource: DataSource, count: number, mode: 'batch' | 'per-event') {
  const topic = `bench.platform-${mode}-${randomUUID().slice(0, 8)}.v1`;
  await createTopic(brokers, topic);
  const client = new KafkaEventClient({ brokers, clientId: 'bench-platform' });
  const all = records(topic, count);
  const t0 = performance.now();
  for (let i = 0; i < all.length; i += PRODUCE_BATCH)
    await client.publishBatch(all.slice(i, i + PRODUCE_BATCH));
  const produceMs = performance.now() - t0;
  await client.close();

  const watch = new Stopwatch(count);
  const inbox = new Inbox(new UnitOfWork(dataSource), `safecity.bench-${mode}`);
  @Controller()
  class BenchConsumer {
    @EventPattern(topic, { batch: true })
    async onBatch(@Payload() events: ConsumedEvent<CameraChanged>[]) {
      if (mode === 'batch') {
        const { fresh } = await inbox.onceEach(events, async () => undefined);
        watch.tick(fresh.length);
        return;
      }
      for (const event of events) {
        const { applied } = await inbox.once(event, async () => undefined);
        if (applied) watch.tick();
      }
    }
  }
  const strategy = eventConsumerStrategy({
    serviceName: `bench-${mode}-${randomUUID().slice(0, 6)}`,
    transport: { kind: 'kafka', connection: { brokers, clientId: 'bench-platform' } },
    codecs: eventCodecFor,
    partitionsConsumedConcurrently: PARTITIONS,
  });
  const app: INestMicroservice = await NestFactory.createMicroservice(
    { module: class BenchModule {}, controllers: [BenchConsumer] } as never,
    { ...strategy, logger: false },
  );
  app.useGlobalFilters(new EventErrorPassthroughFilter());
  await app.listen();
  await withTimeout(watch.done, 600_000, `${mode} consumption`);
  await app.close();
  return { produceMs, consumeMs: watch.ms };
}

export async function run(argv: string[]) {
  const count = option(argv, 'events', 50_000);
  const infra = await startBenchInfra();
  const dataSource = createServiceDataSource({
    url: infra.databaseUrl,
    schema: 'bench',
    entities: [],
    migrations: [BenchMessaging1700000000000],
    poolSize: 10,
  });
  try {
    await dataSource.initialize();
    await migrateServiceSchema(dataSource);
    process.stdout.write(
      `messaging benchmark: ${count} events, ${PARTITIONS} partitions, brokers ${infra.brokers}\n`,
    );
    const raw = await rawKafka(infra.brokers, count);
    const batch = await platform(infra.brokers, dataSource, count, 'batch');
    const single = await platform(infra.brokers, dataSource, count, 'per-event');
    const rawRate = rate(count, raw.consumeMs);
    const row = (name: string, r: { produceMs: number; consumeMs: number }) => ({
      path: name,
      'produce events/s': rate(count, r.produceMs),
      'consume events/s': rate(count, r.consumeMs),
      'vs raw consume': `${((rate(count, r.consumeMs) / rawRate) * 100).toFixed(0)}%`,
    });
    process.stdout.write(
      `${table([
        row('raw kafkajs (no processing)', raw),
        row('platform transport + batch inbox', batch),
        row('platform transport + per-event inbox', single),
      ])}\n`,
    );
  } finally {
    await dataSource.destroy().catch(() => undefined);
    await infra.stop();
  }
}
