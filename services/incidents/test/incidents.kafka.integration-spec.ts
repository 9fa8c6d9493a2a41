import { randomUUID } from 'node:crypto';
import { incidents as contract, Topics } from '@safecity/contracts';
import { dlqTopicOf } from '@safecity/messaging';
import { freeLoopbackPort } from '@safecity/persistence';
import type { RunningServiceApp } from '@safecity/service-kit';
import {
  createTestDatabase,
  createTestIdentity,
  describeKafka,
  eventually,
  type TestIdentity,
} from '@safecity/testing';
import { Kafka, logLevel, type Consumer, type Producer } from 'kafkajs';
import request from 'supertest';
import { startIncidents } from '../src/bootstrap';
import { plateMatched } from './fixtures';
import { CALLER_RUN_SCHEDULES, EventTypes } from './harness';
import { eventMessage, positionGroupAtEnd, watchFromNow } from './kafka-helpers';
import { SseClient } from './sse-client';

describeKafka('incidents over real Kafka', (brokers) => {
  let db: { url: string; drop(): Promise<void> };
  let identity: TestIdentity;
  let service: RunningServiceApp;
  let kafka: Kafka;
  let producer: Producer;
  let observer: Consumer;
  let dlqWatcher: Consumer;
  const changes: contract.IncidentChanged[] = [];
  const deadLettered: string[] = [];
  // Its own consumer group: the broker is shared with other runs.
  const serviceName = `incidents-kafka-test-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    db = await createTestDatabase('inckafka');
    identity = await createTestIdentity();
    kafka = new Kafka({ brokers: brokers().split(','), logLevel: logLevel.NOTHING });
    await positionGroupAtEnd(kafka, `safecity.${serviceName}`, [
      Topics.Matches,
      Topics.Alerts,
      Topics.CameraStatus,
      Topics.Cameras,
      Topics.CitizenReports,
    ]);
    service = await startIncidents({
      databaseUrl: db.url,
      transport: { kind: 'kafka', connection: { brokers: brokers(), clientId: serviceName } },
      http: { port: 0 },
      grpcUrl: `127.0.0.1:${await freeLoopbackPort()}`,
      identity: identity.identity,
      runMigrations: true,
      serviceName,
      sessionTimeoutMs: 10_000,
      ...CALLER_RUN_SCHEDULES,
    });
    observer = await watchFromNow(kafka, Topics.Incidents, (message) =>
      changes.push(contract.IncidentChanged.decode(message.value!)),
    );
    dlqWatcher = await watchFromNow(kafka, dlqTopicOf(Topics.Matches), (message) => {
      const id = message.headers?.['ce_id']?.toString();
      if (id) deadLettered.push(id);
    });
    producer = kafka.producer({ idempotent: true });
    await producer.connect();
  }, 120_000);

  afterAll(async () => {
    await producer?.disconnect();
    await observer?.disconnect();
    await dlqWatcher?.disconnect();
    await service?.close();
    await db?.drop();
  }, 60_000);

  const send = async (records: ReturnType<typeof eventMessage>[]) => {
    for (const record of records)
      await producer.send({ topic: record.topic, messages: [record.message], acks: -1 });
  };

  it('turns plate hits on Kafka into one incident, seen live over SSE and published to safecity.incidents.v1', async () => {
    const sse = new SseClient(`${service.httpUrl}/incidents/stream`, {
      authorization: await identity.bearer('operator', ['ALA'], 'op-1'),
    });
    expect(await sse.connect()).toBe(200);
    try {
      const plate = `K${randomUUID().slice(0, 6).toUpperCase()}`;
      const first = plateMatched({ plate });
      const second = plateMatched({ plate });
      const firstRecord = eventMessage(EventTypes.PlateMatched, first.match!.id, first, randomUUID(), 'ALA');
      // The same event twice (as after a producer retry), and a second camera's hit on the plate.
      await send([firstRecord, firstRecord, eventMessage(EventTypes.PlateMatched, second.match!.id, second)]);

      const seen = await eventually(
        () => sse.incidents().find((e) => e.incident.title.includes(plate) && e.kind === 'created'),
        { timeoutMs: 30_000, message: 'incident on the live stream' },
      );
      const incidentId = seen.incidentId;
      await eventually(
        async () =>
          (
            await request(service.httpUrl)
              .get(`/incidents/${incidentId}`)
              .set('authorization', await identity.bearer('operator', ['ALA']))
          ).body.sourceCount === 2,
        { timeoutMs: 30_000, message: 'second hit joined' },
      );
      const list = await request(service.httpUrl)
        .get('/incidents?sourceKind=plate-match')
        .set('authorization', await identity.bearer('operator', ['ALA']))
        .expect(200);
      expect(list.body.items.filter((i: { title: string }) => i.title.includes(plate))).toHaveLength(1);
      const published = await eventually(
        () => changes.find((c) => c.incident?.id === incidentId && c.incident.sources.length === 2),
        { timeoutMs: 30_000, message: 'IncidentChanged on Kafka' },
      );
      expect(published.incident!.sources.map((s) => s.refId).sort()).toEqual(
        [first.match!.id, second.match!.id].sort(),
      );
    } finally {
      sse.close();
    }
  }, 90_000);

  it('dead-letters a malformed match and keeps consuming', async () => {
    const bad = plateMatched({ regionCode: 'bad region' });
    const good = plateMatched({ plate: `G${randomUUID().slice(0, 6).toUpperCase()}` });
    const badRecord = eventMessage(EventTypes.PlateMatched, bad.match!.id, bad);
    await send([badRecord, eventMessage(EventTypes.PlateMatched, good.match!.id, good)]);
    await eventually(
      async () =>
        (
          await request(service.httpUrl)
            .get('/incidents?sourceKind=plate-match')
            .set('authorization', await identity.bearer('operator', ['ALA']))
        ).body.items.some((i: { title: string }) => i.title.includes(good.match!.plate!.text)),
      { timeoutMs: 30_000, message: 'good match after a bad one' },
    );
    const badId = badRecord.message.headers!['ce_id']!.toString();
    await eventually(() => deadLettered.includes(badId), {
      timeoutMs: 30_000,
      message: 'the malformed match on safecity.matches.v1.dlq',
    });
  }, 60_000);
});
