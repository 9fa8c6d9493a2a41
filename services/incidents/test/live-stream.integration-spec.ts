import { randomUUID } from 'node:crypto';
import { cameras } from '@safecity/contracts';
import { eventually } from '@safecity/testing';
import request from 'supertest';
import { faceMatched } from './fixtures';
import { EventTypes, openIncident, startInProcessIncidents, type InProcessIncidents } from './harness';
import { SseClient } from './sse-client';

describe('live stream of incidents (Server-Sent Events)', () => {
  let env: InProcessIncidents;
  const clients: SseClient[] = [];

  beforeAll(async () => {
    env = await startInProcessIncidents('incsse');
  }, 60_000);

  afterAll(async () => {
    for (const client of clients) client.close();
    await env?.close();
  }, 30_000);

  const connect = async (
    roles: Parameters<InProcessIncidents['identity']['bearer']>[0],
    regions: string[],
    headers: Record<string, string> = {},
    query = '',
  ) => {
    const client = new SseClient(`${env.service.httpUrl}/incidents/stream${query}`, {
      authorization: await env.identity.bearer(roles, regions, `u-${randomUUID()}`),
      ...headers,
    });
    clients.push(client);
    expect(await client.connect()).toBe(200);
    return client;
  };

  const open = (regionCode: string, title: string) => openIncident(env, title, regionCode);

  it('streams each change only to callers of its region', async () => {
    const almaty = await connect('operator', ['ALA']);
    const astana = await connect('operator', ['AST']);
    const incident = await open('ALA', 'Bag snatched');
    await eventually(() => almaty.incidents().some((e) => e.incidentId === incident.id));
    const [event] = almaty.incidents().filter((e) => e.incidentId === incident.id);
    expect(event).toMatchObject({ kind: 'created', incident: { title: 'Bag snatched', state: 'new' } });
    await open('AST', 'Bike stolen');
    await eventually(() => astana.incidents().some((e) => e.incident.title === 'Bike stolen'));
    expect(almaty.incidents().some((e) => e.incident.title === 'Bike stolen')).toBe(false);
    expect(astana.incidents().some((e) => e.incidentId === incident.id)).toBe(false);
  });

  it('filters by role: analysts get no face matches, integrators only technical incidents', async () => {
    const analyst = await connect('analyst', ['ALA']);
    const integrator = await connect('region-admin', ['ALA']);
    const operator = await connect('operator', ['ALA']);
    env.publish(EventTypes.FaceMatched, 'k', faceMatched({}));
    const cameraId = randomUUID();
    env.publish(
      EventTypes.CameraStatusChanged,
      cameraId,
      cameras.CameraStatusChanged.fromPartial({
        cameraId,
        regionCode: 'ALA',
        status: cameras.CameraStatus.CAMERA_STATUS_OFFLINE,
        changedAt: new Date(),
      }),
    );
    const marker = await open('ALA', 'Marker after both');
    await eventually(() => operator.incidents().some((e) => e.incidentId === marker.id));
    await eventually(() => analyst.incidents().some((e) => e.incidentId === marker.id));
    expect(operator.incidents().map((e) => e.incident.sourceKind)).toEqual(
      expect.arrayContaining(['face-match', 'camera-status', 'operator']),
    );
    expect(analyst.incidents().map((e) => e.incident.sourceKind)).not.toContain('face-match');
    await eventually(() => integrator.incidents().length > 0);
    expect(new Set(integrator.incidents().map((e) => e.incident.sourceKind))).toEqual(
      new Set(['camera-status']),
    );
  });

  it('resumes from Last-Event-ID without missing an incident across the reconnect', async () => {
    const first = await connect('operator', ['ALA']);
    const before = await open('ALA', 'Before the drop');
    await eventually(() => first.incidents().some((e) => e.incidentId === before.id));
    const lastId = first.lastEventId()!;
    first.close();
    const missed = [];
    for (let i = 0; i < 5; i++) missed.push((await open('ALA', `While away ${i}`)).id);
    const again = await connect('operator', ['ALA'], { 'last-event-id': lastId });
    const after = await open('ALA', 'After the reconnect');
    await eventually(() => again.incidents().some((e) => e.incidentId === after.id));
    const seen = again.incidents().map((e) => e.incidentId);
    expect(seen).toEqual([...missed, after.id]);
    const seqs = again.incidents().map((e) => e.seq);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    expect(seqs[0]).toBeGreaterThan(Number(lastId));
  });

  it('misses nothing when many changes commit concurrently during a reconnect', async () => {
    const first = await connect('operator', ['ALA']);
    const marker = await open('ALA', 'Concurrency marker');
    await eventually(() => first.incidents().some((e) => e.incidentId === marker.id));
    const lastId = first.lastEventId()!;
    first.close();
    const writes = Array.from({ length: 30 }, (_, i) => open('ALA', `Concurrent ${i}`));
    const again = await connect('operator', ['ALA'], { 'last-event-id': lastId });
    const ids = (await Promise.all(writes)).map((i) => i.id);
    await eventually(() => ids.every((id) => again.incidents().some((e) => e.incidentId === id)));
    const seqs = again.incidents().map((e) => e.seq);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
  });

  it('holds at most LIVE_STREAMS_PER_USER (10) streams per user: 429 with Retry-After beyond', async () => {
    const bearer = await env.identity.bearer('operator', ['ALA'], `u-${randomUUID()}`);
    const stream = () => new SseClient(`${env.service.httpUrl}/incidents/stream`, { authorization: bearer });
    const held: SseClient[] = [];
    for (let i = 0; i < 10; i++) {
      const client = stream();
      clients.push(client);
      expect(await client.connect()).toBe(200);
      held.push(client);
    }
    const refused = await request(env.service.httpUrl)
      .get('/incidents/stream')
      .set('authorization', bearer)
      .expect(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.body.message).toMatch(/at most 10 live streams/);
    // Another person is not held back by this one.
    await connect('operator', ['ALA']);
    // A stream closed gives its place back.
    held[0].close();
    const again = await eventually(async () => {
      const client = stream();
      clients.push(client);
      const status = await client.connect();
      if (status !== 200) client.close();
      return status === 200 ? client : null;
    });
    expect(again.status).toBe(200);
  });

  it('narrows to requested regions and refuses a malformed Last-Event-ID', async () => {
    const narrowed = await connect('operator', ['ALA', 'AST'], {}, '?regions=AST');
    const ala = await open('ALA', 'Not for the narrowed');
    const ast = await open('AST', 'For the narrowed');
    await eventually(() => narrowed.incidents().some((e) => e.incidentId === ast.id));
    expect(narrowed.incidents().some((e) => e.incidentId === ala.id)).toBe(false);
    await request(env.service.httpUrl)
      .get('/incidents/stream')
      .set('authorization', await env.identity.bearer('operator', ['ALA']))
      .set('last-event-id', 'abc')
      .expect(400);
    await request(env.service.httpUrl)
      .get('/incidents/stream')
      .set('authorization', await env.identity.bearer('social-worker', ['ALA']))
      .expect(403);
  });
});
