import { randomUUID } from 'node:crypto';
import { EventTypes, incidents, prevention, Topics } from '@safecity/contracts';
import { CeHeader } from '@safecity/messaging';
import { freeLoopbackPort } from '@safecity/persistence';
import type { RunningServiceApp } from '@safecity/service-kit';
import { createTestDatabase, createTestIdentity, describeKafka, eventually } from '@safecity/testing';
import { Kafka, logLevel, type Consumer, type KafkaMessage, type Producer } from 'kafkajs';
import { Client } from 'pg';
import request from 'supertest';
import { startPrevention } from '../src/bootstrap';
import { incidentRecord } from './incidents';
import { placeCase } from './world';

describeKafka('prevention triggers over real Kafka', (brokers) => {
  let db: { url: string; drop(): Promise<void> };
  let service: RunningServiceApp;
  let officer: ReturnType<typeof request.agent>;
  let producer: Producer;
  let watcher: Consumer;
  const published: KafkaMessage[] = [];
  const group = `prevention-triggers-test-${randomUUID().slice(0, 8)}`;
  const watcherGroup = `prevention-check-${randomUUID()}`;

  beforeAll(async () => {
    db = await createTestDatabase('prevkafka');
    const identity = await createTestIdentity();
    const kafka = new Kafka({ brokers: brokers().split(','), logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    const consumed = [Topics.Incidents, `${Topics.Incidents}.retry`];
    await admin.createTopics({
      topics: [...consumed, Topics.Prevention].map((topic) => ({ topic })),
      waitForLeaders: true,
    });
    // Both groups start at the end of the shared topics: other suites' records are not this one's
    // concern, and replaying them would only make the suite slow.
    // The end offsets are set as numbers: `resetOffsets` would commit the symbolic "latest" (-1),
    // which a consumer group then reads as "no offset" and so starts from the beginning.
    const startAtEnd = async (groupId: string, topic: string) =>
      admin.setOffsets({
        groupId,
        topic,
        partitions: (await admin.fetchTopicOffsets(topic)).map(({ partition, high }) => ({
          partition,
          offset: high,
        })),
      });
    for (const topic of consumed) await startAtEnd(`safecity.${group}`, topic);
    await startAtEnd(watcherGroup, Topics.Prevention);
    await admin.disconnect();
    service = await startPrevention({
      databaseUrl: db.url,
      transport: { kind: 'kafka', connection: { brokers: brokers(), clientId: 'prevention' } },
      http: { port: 0 },
      grpcUrl: `127.0.0.1:${await freeLoopbackPort()}`,
      identity: identity.identity,
      runMigrations: true,
      eventConsumerName: group,
      retention: { scheduled: false },
    });
    officer = request
      .agent(service.httpUrl)
      .set('authorization', await identity.bearer('prevention-officer', ['ALA']));
    watcher = kafka.consumer({ groupId: watcherGroup });
    await watcher.connect();
    await watcher.subscribe({ topic: Topics.Prevention });
    // Nothing the service publishes may go unseen: the watcher is in its group, at its committed
    // offsets, before the first case is opened.
    const joined = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('watcher did not join its group in 30 s')), 30_000);
      const off = watcher.on(watcher.events.GROUP_JOIN, () => {
        clearTimeout(timer);
        off();
        resolve();
      });
    });
    await watcher.run({ eachMessage: async ({ message }) => void published.push(message) });
    await joined;
    producer = kafka.producer();
    await producer.connect();
  }, 120_000);

  afterAll(async () => {
    await producer?.disconnect();
    await watcher?.disconnect();
    await service?.close();
    await db?.drop();
  }, 60_000);

  it('an IncidentChanged on safecity.incidents.v1 joins the case at that place; the change reaches safecity.prevention.v1', async () => {
    const { body: c } = await officer
      .post('/cases')
      .send(
        placeCase({
          subject: {
            kind: 'place',
            name: 'Bus stop',
            address: `ул. Кабанбай батыра, ${Math.floor(Math.random() * 1e6)}`,
          },
        }),
      )
      .expect(201);
    const record = incidentRecord({ address: c.subject.address });
    await producer.send({
      topic: Topics.Incidents,
      messages: [{ key: record.key, value: record.value, headers: record.headers }],
    });
    await eventually(
      async () =>
        (await officer.get(`/cases/${c.id}`).expect(200)).body.linkedIncidentIds.includes(record.incidentId),
      { timeoutMs: 60_000, message: 'incident linked to the case' },
    );
    const fired = await eventually(
      () =>
        published
          .filter((m) => m.headers?.[CeHeader.Type]?.toString() === EventTypes.PreventionTriggerFired)
          .map((m) => prevention.PreventionTriggerFired.decode(m.value!).trigger!)
          .find((t) => t.caseId === c.id),
      { timeoutMs: 30_000, message: 'PreventionTriggerFired on Kafka' },
    );
    expect(fired.incidentIds).toEqual([record.incidentId]);
    const updated = await eventually(
      () =>
        published.find(
          (m) =>
            m.key?.toString() === c.id &&
            m.headers?.[CeHeader.Type]?.toString() === EventTypes.PreventionCaseUpdated,
        ),
      { timeoutMs: 30_000, message: 'PreventionCaseUpdated on Kafka' },
    );
    expect(prevention.PreventionCaseChanged.decode(updated.value!).preventionCase?.linkedIncidentIds).toEqual(
      [record.incidentId],
    );
  }, 120_000);

  it('an unverified plate hit on Kafka joins no case; its verified version does', async () => {
    const address = `ул. Кабанбай батыра, ${Math.floor(Math.random() * 1e6)}`;
    const { body: c } = await officer
      .post('/cases')
      .send(placeCase({ subject: { kind: 'place', name: 'Parking lot', address } }))
      .expect(201);
    const sources = [{ kind: incidents.IncidentSourceKind.INCIDENT_SOURCE_KIND_PLATE_MATCH }];
    const hit = incidentRecord({ address, sources });
    const verified = incidentRecord({
      id: hit.incidentId,
      address,
      sources,
      version: 2,
      state: incidents.IncidentState.INCIDENT_STATE_VERIFIED,
      kind: incidents.IncidentChangeKind.INCIDENT_CHANGE_KIND_STATE_CHANGED,
    });
    // A marker after the unverified hit on the same key: once it is consumed, so is the hit.
    const marker = incidentRecord({ id: hit.incidentId, address, sources, version: 1 });
    await producer.send({
      topic: Topics.Incidents,
      messages: [hit, marker].map((r) => ({ key: r.key, value: r.value, headers: r.headers })),
    });
    const pg = new Client({ connectionString: db.url });
    await pg.connect();
    try {
      await eventually(
        async () =>
          (await pg.query('SELECT 1 FROM prevention.inbox WHERE event_id = $1', [marker.eventId]))
            .rowCount === 1,
        { timeoutMs: 60_000, message: 'the unverified hit consumed' },
      );
    } finally {
      await pg.end();
    }
    const unlinked = (await officer.get(`/cases/${c.id}`).expect(200)).body;
    expect(unlinked.linkedIncidentIds).toEqual([]);
    expect(unlinked.reviewDue).toBe(false);

    await producer.send({
      topic: Topics.Incidents,
      messages: [{ key: verified.key, value: verified.value, headers: verified.headers }],
    });
    await eventually(
      async () =>
        (await officer.get(`/cases/${c.id}`).expect(200)).body.linkedIncidentIds.includes(hit.incidentId),
      { timeoutMs: 60_000, message: 'the verified hit linked to the case' },
    );
    expect((await officer.get(`/cases/${c.id}`).expect(200)).body.reviewDue).toBe(true);
  }, 120_000);
});
