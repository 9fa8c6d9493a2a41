import { randomUUID } from 'node:crypto';
import { incidents as contract, Topics } from '@safecity/contracts';
import type { ConsumedRecord } from '@safecity/messaging';
import { eventually } from '@safecity/testing';
import request from 'supertest';
import { createdFromNow, EventTypes, startInProcessIncidents, type InProcessIncidents } from './harness';

describe('citizen reports from the "Заң мен Тәртіп" platform', () => {
  let env: InProcessIncidents;
  let platform: string;
  let operator: string;
  const published: ConsumedRecord[] = [];

  beforeAll(async () => {
    env = await startInProcessIncidents('inccit', {
      citizenFlood: { burst: 3, perMinute: 1 },
      anonymousCitizenReports: { burst: 4, perMinute: 1 },
    });
    env.bus.subscribe(
      'test-observer',
      [Topics.CitizenReports, Topics.Incidents],
      async (r) => void published.push(r),
    );
    platform = await env.identity.bearer('service', ['ALA', 'AST'], 'zan-men-tartip');
    operator = await env.identity.bearer('operator', ['ALA'], 'op-1');
  }, 60_000);

  afterAll(() => env?.close(), 30_000);

  const api = () => request(env.service.httpUrl);
  const report = (over: Record<string, unknown> = {}) => ({
    channel: 'egov',
    channelReportId: randomUUID(),
    category: 'public-order',
    text: 'Loud fight in the courtyard',
    location: { lat: 43.238, lon: 76.945 },
    address: 'Abay ave 52',
    regionCode: 'ALA',
    time: new Date().toISOString(),
    media: [{ uri: 'https://media.zan.kz/r/1.jpg', contentType: 'image/jpeg' }],
    citizenId: `citizen-${randomUUID()}`,
    ...over,
  });
  const submit = (body: unknown, token = platform) =>
    api()
      .post('/citizen-reports')
      .set('authorization', token)
      .send(body as object);

  it('acknowledges a report, opens an incident from it, and lets the citizen follow its status', async () => {
    const body = report();
    const ack = (await submit(body).expect(201)).body;
    expect(ack).toMatchObject({ status: 'incident-opened', duplicate: false });
    expect(ack.acknowledgementId).toMatch(/^ACK-[A-Za-z0-9_-]{20}$/);
    const status = (await api().get(`/citizen-reports/${ack.acknowledgementId}/status`).expect(200)).body;
    expect(status).toMatchObject({ acknowledgementId: ack.acknowledgementId, status: 'incident-opened' });

    const [incident] = (
      await api().get('/incidents?sourceKind=citizen-report').set('authorization', operator).expect(200)
    ).body.items;
    expect(incident).toMatchObject({ category: 'public-order', description: 'Loud fight in the courtyard' });
    await api()
      .post(`/incidents/${incident.id}/transitions`)
      .set('authorization', operator)
      .send({ to: 'verified' })
      .expect(200);
    expect(
      (await api().get(`/citizen-reports/${ack.acknowledgementId}/status`).expect(200)).body.status,
    ).toBe('in-progress');
    const detail = (await api().get(`/incidents/${incident.id}`).set('authorization', operator).expect(200))
      .body;
    expect(detail.sources[0].media[0].uri).toBe('https://media.zan.kz/r/1.jpg');
    // Who reported it stays with the channel.
    expect(JSON.stringify(detail)).not.toContain(body.citizenId);
    expect(detail.location.address).toBe('Abay ave 52');
    await eventually(() =>
      published.some(
        (r) =>
          r.topic === Topics.CitizenReports &&
          contract.CitizenReportSubmitted.decode(r.value).report?.description ===
            'Loud fight in the courtyard',
      ),
    );
  });

  it("lets the citizen follow the incident's progress by the acknowledgement id, and nothing else of it", async () => {
    const supervisor = await env.identity.bearer('supervisor', ['ALA'], 'sup-1');
    const statusOf = async (ack: string) =>
      (await api().get(`/citizen-reports/${ack}/status`).expect(200)).body as Record<string, string>;
    const move = (id: string, body: object) =>
      api().post(`/incidents/${id}/transitions`).set('authorization', operator).send(body).expect(200);
    const incidentOf = async (text: string) =>
      (
        await api().get('/incidents?sourceKind=citizen-report').set('authorization', operator).expect(200)
      ).body.items.find((i: { description: string }) => i.description === text) as { id: string };

    const text = `Car on fire in the yard ${randomUUID()}`;
    const { acknowledgementId } = (
      await submit(report({ category: 'fire', text, location: { lat: 43.11, lon: 76.71 } })).expect(201)
    ).body;
    const incident = await incidentOf(text);
    const seen: string[] = [(await statusOf(acknowledgementId)).status];
    await move(incident.id, { to: 'verified' });
    seen.push((await statusOf(acknowledgementId)).status);
    const unit = (
      await api()
        .post('/units')
        .set('authorization', supervisor)
        .send({ callSign: `FIRE-${randomUUID().slice(0, 6)}`, kind: 'fire', regionCode: 'ALA' })
        .expect(201)
    ).body;
    await move(incident.id, { to: 'dispatched', unitId: unit.id });
    seen.push((await statusOf(acknowledgementId)).status);
    await move(incident.id, { to: 'on-scene' });
    seen.push((await statusOf(acknowledgementId)).status);
    await move(incident.id, { to: 'resolved', resolution: 'handled-on-scene' });
    seen.push((await statusOf(acknowledgementId)).status);
    await move(incident.id, { to: 'closed' });
    const closed = await statusOf(acknowledgementId);
    seen.push(closed.status);
    expect(seen).toEqual([
      'incident-opened',
      'in-progress',
      'dispatched',
      'dispatched',
      'resolved',
      'closed',
    ]);
    // The citizen learns the status and when it was reached; no incident, unit, operator or reason.
    expect(Object.keys(closed).sort()).toEqual(['acknowledgementId', 'receivedAt', 'status', 'updatedAt']);
    expect(new Date(closed.updatedAt).getTime()).toBeGreaterThanOrEqual(
      new Date(closed.receivedAt).getTime(),
    );
    expect(JSON.stringify(closed)).not.toContain(incident.id);

    const falseAlarm = `Smoke from a chimney ${randomUUID()}`;
    const dismissedAck = (
      await submit(
        report({ category: 'fire', text: falseAlarm, location: { lat: 43.01, lon: 76.61 } }),
      ).expect(201)
    ).body.acknowledgementId;
    await move((await incidentOf(falseAlarm)).id, { to: 'dismissed', reason: 'a chimney, not a fire' });
    const dismissed = await statusOf(dismissedAck);
    expect(dismissed.status).toBe('dismissed');
    expect(JSON.stringify(dismissed)).not.toContain('chimney');
  });

  it('takes a report with an address and no coordinates, and carries each address to the incident events', async () => {
    const since = createdFromNow();
    const text = `Neighbours fighting ${randomUUID()}`;
    const body = report({ category: 'domestic', text, address: '  ул. Абая, д. 10, кв. 5 ' });
    delete (body as { location?: unknown }).location;
    const ack = (await submit(body).expect(201)).body;
    expect(ack.status).toBe('incident-opened');
    const [incident] = (
      await api().get(`/incidents?category=domestic&${since}`).set('authorization', operator).expect(200)
    ).body.items;
    expect(incident).toMatchObject({
      description: text,
      location: { lat: null, lon: null, address: 'ул. Абая, д. 10, кв. 5' },
    });
    const incidentEvents = () =>
      published
        .filter((r) => r.topic === Topics.Incidents)
        .map((r) => contract.IncidentChanged.decode(r.value).incident!)
        .filter((i) => i.id === incident.id);
    const created = await eventually(() => incidentEvents()[0]);
    expect(created.location).toMatchObject({ address: 'ул. Абая, д. 10, кв. 5' });
    expect(created.location?.point).toBeFalsy();
    expect(created.sources[0]).toMatchObject({
      kind: contract.IncidentSourceKind.INCIDENT_SOURCE_KIND_CITIZEN_REPORT,
      address: 'ул. Абая, д. 10, кв. 5',
    });

    // A second report nearby joins the first one's incident; its address reaches the events too.
    const at = { lat: 43.2001, lon: 76.8001 };
    await submit(
      report({ category: 'violence', text: 'A fight', location: at, address: 'ул. Толе би 44' }),
    ).expect(201);
    await submit(
      report({ category: 'violence', text: 'Still fighting', location: at, address: 'пр. Достык 91, кв. 3' }),
    ).expect(201);
    const [joined] = (
      await api().get(`/incidents?category=violence&${since}`).set('authorization', operator).expect(200)
    ).body.items;
    const updated = await eventually(() =>
      published
        .filter((r) => r.topic === Topics.Incidents)
        .map((r) => contract.IncidentChanged.decode(r.value).incident!)
        .find((i) => i.id === joined.id && i.sources.length === 2),
    );
    expect(updated.location?.address).toBe('ул. Толе би 44');
    expect(updated.sources.map((source) => source.address)).toEqual([
      'ул. Толе би 44',
      'пр. Достык 91, кв. 3',
    ]);
  });

  it('refuses a report with neither a location nor an address, and addresses that are no text', async () => {
    const problemsOf = async (body: object) =>
      (await submit(body).expect(422)).body.problems as { field: string; reason: string }[];
    const placeless = report();
    delete (placeless as { location?: unknown }).location;
    delete (placeless as { address?: unknown }).address;
    expect(await problemsOf(placeless)).toEqual([
      { field: 'location', reason: 'a report needs a location, an address or both' },
    ]);
    for (const address of ['   ', 'x'.repeat(301), 'Abay 10\nFAKE LINE', 'Abay\u202e01', '.,-', 42]) {
      expect((await problemsOf(report({ address }))).map((p) => p.field)).toContain('address');
    }
  });

  it('returns the same acknowledgement when the channel re-posts a report', async () => {
    const body = report({ category: 'traffic' });
    const first = (await submit(body).expect(201)).body;
    const again = (await submit(body).expect(200)).body;
    expect(again).toMatchObject({ acknowledgementId: first.acknowledgementId, duplicate: true });
  });

  it('joins reports of one kind near one place into one incident', async () => {
    const since = createdFromNow();
    await submit(report({ category: 'fire', location: { lat: 43.3, lon: 76.9 } })).expect(201);
    await submit(report({ category: 'fire', location: { lat: 43.3005, lon: 76.9 } })).expect(201);
    const fires = (
      await api().get(`/incidents?category=fire&${since}`).set('authorization', operator).expect(200)
    ).body.items;
    expect(fires).toHaveLength(1);
    expect(fires[0].priority).toBe('critical');
  });

  it('refuses missing fields and oversize media references with 422', async () => {
    const missing = await submit({ channel: 'egov', channelReportId: 'x-1', category: 'theft' }).expect(422);
    const fields = missing.body.problems.map((p: { field: string }) => p.field);
    expect(fields).toEqual(expect.arrayContaining(['text', 'location', 'regionCode', 'time']));
    const oversize = await submit(
      report({ media: [{ uri: `https://media.zan.kz/${'a'.repeat(3000)}`, contentType: 'image/jpeg' }] }),
    ).expect(422);
    expect(oversize.body.problems[0].field).toBe('media.0.uri');
    const tooMany = await submit(
      report({
        media: Array.from({ length: 11 }, () => ({ uri: 'https://m.kz/a.jpg', contentType: 'image/jpeg' })),
      }),
    ).expect(422);
    expect(tooMany.body.problems[0].field).toBe('media');
    await submit(report({ contact: '+77010000000' })).expect(422);
    await submit(report({ regionCode: 'KAR' })).expect(422);
  });

  it('answers a flood from one citizen id with 429 and Retry-After, not other citizens', async () => {
    const citizenId = `citizen-${randomUUID()}`;
    for (let i = 0; i < 3; i++) await submit(report({ citizenId })).expect(201);
    const flood = await submit(report({ citizenId })).expect(429);
    expect(Number(flood.headers['retry-after'])).toBeGreaterThan(0);
    await submit(report()).expect(201);
  });

  it('limits anonymous reports per source (channel and submitter): 429 with Retry-After', async () => {
    const gateway = await env.identity.bearer('service', ['ALA'], `bank-app-${randomUUID()}`);
    const anonymous = () => report({ citizenId: undefined });
    for (let i = 0; i < 4; i++) await submit(anonymous(), gateway).expect(201);
    const flood = await submit(anonymous(), gateway).expect(429);
    expect(Number(flood.headers['retry-after'])).toBeGreaterThan(0);
    expect(flood.body.message).toMatch(/without a citizen id/);
    // The same source's identified reports, and other sources, go on.
    await submit(report(), gateway).expect(201);
    await submit(
      anonymous(),
      await env.identity.bearer('service', ['ALA'], `hotline-${randomUUID()}`),
    ).expect(201);
    await submit(report({ channel: 'hotline', citizenId: undefined }), gateway).expect(201);
  });

  it('takes reports that a channel gateway publishes on safecity.citizen-reports.v1, once', async () => {
    const since = createdFromNow();
    const report = contract.CitizenReportSubmitted.fromPartial({
      report: {
        id: randomUUID(),
        channel: contract.CitizenReportChannel.CITIZEN_REPORT_CHANNEL_BANK_APP,
        channelReportId: randomUUID(),
        category: contract.IncidentCategory.INCIDENT_CATEGORY_DOMESTIC,
        description: 'Shouting and crying next door',
        location: { lat: 43.21, lon: 76.88 },
        regionCode: 'ALA',
        reportedAt: new Date(),
      },
    });
    env.publish(EventTypes.CitizenReportSubmitted, report.report!.id, report);
    env.publish(EventTypes.CitizenReportSubmitted, report.report!.id, report);
    const bad = contract.CitizenReportSubmitted.fromPartial({
      report: { ...report.report!, id: randomUUID(), channelReportId: randomUUID(), description: '' },
    });
    const badId = env.publish(EventTypes.CitizenReportSubmitted, bad.report!.id, bad);
    // Text the database cannot store is a poison event too: dead-lettered at once, not retried.
    const withNul = contract.CitizenReportSubmitted.fromPartial({
      report: { ...report.report!, id: randomUUID(), channelReportId: randomUUID(), description: 'x\u0000y' },
    });
    const nulId = env.publish(EventTypes.CitizenReportSubmitted, withNul.report!.id, withNul);
    await env.bus.whenIdle(10_000);
    const found = (
      await api().get(`/incidents?category=domestic&${since}`).set('authorization', operator).expect(200)
    ).body.items;
    expect(found).toHaveLength(1);
    expect(found[0].description).toBe('Shouting and crying next door');
    expect(
      (await api().get(`/incidents/${found[0].id}`).set('authorization', operator)).body.sources,
    ).toHaveLength(1);
    await eventually(
      () => env.bus.read(`${Topics.CitizenReports}.dlq`).some((r) => r.headers['ce_id'] === badId),
      {
        message: 'dead letter',
      },
    );
    const nulLetter = await eventually(
      () => env.bus.read(`${Topics.CitizenReports}.dlq`).find((r) => r.headers['ce_id'] === nulId),
      { message: 'dead letter of the report with a NUL character' },
    );
    expect(nulLetter.headers['x-error']).toMatch(/NUL/);
    expect(nulLetter.headers['x-attempts']).toBe('1');
  });

  it('takes reports only from the channel’s service identity or operators, and hides unknown ids', async () => {
    await submit(report(), await env.identity.bearer('analyst', ['ALA'])).expect(403);
    await api().post('/citizen-reports').send(report()).expect(401);
    await api().get('/citizen-reports/ACK-unknown/status').expect(404);
  });
});
