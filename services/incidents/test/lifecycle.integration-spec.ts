import { randomUUID } from 'node:crypto';
import { incidents as contract, Topics } from '@safecity/contracts';
import type { ConsumedRecord } from '@safecity/messaging';
import { RetentionJob } from '@safecity/security';
import { eventually } from '@safecity/testing';
import { Client } from 'pg';
import request from 'supertest';
import { createdFromNow, startInProcessIncidents, type InProcessIncidents } from './harness';

describe('incident lifecycle over REST', () => {
  let env: InProcessIncidents;
  let operator: string;
  let supervisor: string;
  const published: ConsumedRecord[] = [];

  beforeAll(async () => {
    env = await startInProcessIncidents('inclife');
    env.bus.subscribe('test-observer', [Topics.Incidents], async (r) => void published.push(r));
    operator = await env.identity.bearer('operator', ['ALA'], 'op-1');
    supervisor = await env.identity.bearer('supervisor', ['ALA'], 'sup-1');
  }, 60_000);

  afterAll(() => env?.close(), 30_000);

  const api = () => request(env.service.httpUrl);
  const open = async (token = operator, body: Record<string, unknown> = {}) =>
    (
      await api()
        .post('/incidents')
        .set('authorization', token)
        .send({
          category: 'violence',
          regionCode: 'ALA',
          title: 'Fight at the bus stop',
          location: { lat: 43.25, lon: 76.92 },
          ...body,
        })
        .expect(201)
    ).body;
  const move = (id: string, body: Record<string, unknown>, token = operator) =>
    api().post(`/incidents/${id}/transitions`).set('authorization', token).send(body);

  const unit = async (callSign: string) =>
    (
      await api()
        .post('/units')
        .set('authorization', supervisor)
        .send({ callSign, kind: 'patrol', regionCode: 'ALA' })
        .expect(201)
    ).body as { id: string };

  it('walks an incident through its whole lifecycle, recording actor, time and reason', async () => {
    const incident = await open();
    const patrol = await unit('Berkut-11');
    expect(incident).toMatchObject({ state: 'new', priority: 'high', sourceKind: 'operator' });
    expect(incident.number).toMatch(/^ALA-\d{4}-\d{6}$/);
    await move(incident.id, { to: 'verified' }).expect(200);
    await move(incident.id, { to: 'dispatched', unitId: patrol.id }).expect(200);
    await move(incident.id, { to: 'on-scene' }).expect(200);
    await move(incident.id, { to: 'resolved', resolution: 'handled-on-scene' }).expect(200);
    await move(incident.id, { to: 'verified', reason: 'the fight started again' }).expect(200);
    await move(incident.id, { to: 'resolved', resolution: 'handed-over' }).expect(200);
    const closed = (await move(incident.id, { to: 'closed' }, supervisor).expect(200)).body.incident;
    expect(closed).toMatchObject({ state: 'closed', resolution: 'handed-over' });

    const detail = (await api().get(`/incidents/${incident.id}`).set('authorization', operator).expect(200))
      .body;
    expect(detail.history.map((h: { to: string }) => h.to)).toEqual([
      'verified',
      'dispatched',
      'on-scene',
      'resolved',
      'verified',
      'resolved',
      'closed',
    ]);
    expect(detail.history[4]).toMatchObject({
      from: 'resolved',
      actor: 'op-1',
      reason: 'the fight started again',
    });
    expect(detail.history[6]).toMatchObject({ actor: 'sup-1' });
    expect(Date.parse(detail.history[0].at)).not.toBeNaN();
  });

  it('answers an illegal transition with 409 naming the allowed ones', async () => {
    const incident = await open();
    const response = await move(incident.id, { to: 'on-scene' }).expect(409);
    expect(response.body.allowedTransitions).toEqual(['verified', 'dismissed']);
    expect(response.body.message).toMatch(/allowed: verified, dismissed/);
    await move(incident.id, { to: 'dismissed', reason: 'prank call' }).expect(200);
    const final = await move(incident.id, { to: 'verified' }).expect(409);
    expect(final.body.allowedTransitions).toEqual([]);
  });

  it('needs a reason to dismiss, a resolution to resolve and a unit to dispatch (422)', async () => {
    const incident = await open();
    const noReason = await move(incident.id, { to: 'dismissed' }).expect(422);
    expect(noReason.body.problems).toEqual([{ field: 'reason', reason: 'dismissing needs a reason' }]);
    await move(incident.id, { to: 'verified' }).expect(200);
    await move(incident.id, { to: 'dispatched' }).expect(422);
    await move(incident.id, { to: 'resolved' }).expect(422);
    await move(incident.id, { to: 'flying' }).expect(400);
  });

  it('refuses a stale expected version with 409', async () => {
    const incident = await open();
    await move(incident.id, { to: 'verified', expectedVersion: incident.version + 5 }).expect(409);
    await move(incident.id, { to: 'verified', expectedVersion: incident.version }).expect(200);
  });

  it('answers unknown ids with 404 and other regions as unknown', async () => {
    await api()
      .get('/incidents/00000000-0000-4000-8000-00000000abcd')
      .set('authorization', operator)
      .expect(404);
    await move('00000000-0000-4000-8000-00000000abcd', { to: 'verified' }).expect(404);
    const incident = await open();
    const astana = await env.identity.bearer('operator', ['AST'], 'op-ast');
    await api().get(`/incidents/${incident.id}`).set('authorization', astana).expect(404);
    await move(incident.id, { to: 'verified' }, astana).expect(404);
    await api()
      .post('/incidents')
      .set('authorization', astana)
      .send({ category: 'fire', regionCode: 'ALA', title: 'x', location: { lat: 43, lon: 76 } })
      .expect(422);
  });

  it('lists with filters and cursors, only in the caller’s regions', async () => {
    const since = createdFromNow();
    for (let i = 0; i < 3; i++) await open(operator, { category: 'fire', title: `Fire ${i}` });
    const first = (
      await api().get(`/incidents?category=fire&${since}&limit=2`).set('authorization', operator).expect(200)
    ).body;
    expect(first.items).toHaveLength(2);
    expect(first.items.every((i: { category: string }) => i.category === 'fire')).toBe(true);
    const second = (
      await api()
        .get(`/incidents?category=fire&${since}&limit=2&cursor=${first.nextCursor}`)
        .set('authorization', operator)
        .expect(200)
    ).body;
    expect(second.items).toHaveLength(1);
    expect(second.nextCursor).toBeNull();
    const ids = new Set([...first.items, ...second.items].map((i: { id: string }) => i.id));
    expect(ids.size).toBe(3);
    const astana = await env.identity.bearer('operator', ['AST'], 'op-ast');
    expect((await api().get('/incidents').set('authorization', astana).expect(200)).body.items).toEqual([]);
    await api().get('/incidents?cursor=garbage!').set('authorization', operator).expect(400);
    await api().get('/incidents?state=flying').set('authorization', operator).expect(400);
  });

  it('publishes every change to safecity.incidents.v1 through the outbox', async () => {
    const incident = await open();
    await move(incident.id, { to: 'dismissed', reason: 'camera glare', resolution: 'false-alarm' }).expect(
      200,
    );
    const events = await eventually(() => {
      const mine = published
        .map((r) => ({ r, e: contract.IncidentChanged.decode(r.value) }))
        .filter(({ e }) => e.incident?.id === incident.id);
      return mine.length === 2 ? mine : null;
    });
    expect(events[0].r.headers['ce_type']).toBe('kz.safecity.incidents.v1.IncidentCreated');
    expect(events[1].r.headers['ce_type']).toBe('kz.safecity.incidents.v1.IncidentStateChanged');
    expect(events[1].r.key).toBe(incident.id);
    expect(events[1].r.headers['region']).toBe('ALA');
    expect(events[1].e).toMatchObject({
      previousState: contract.IncidentState.INCIDENT_STATE_NEW,
      reason: 'camera glare',
      actor: { id: 'op-1' },
    });
    expect(events[1].e.incident?.resolution).toBe(contract.Resolution.RESOLUTION_FALSE_ALARM);
  });

  it('keeps other regions’ rows out of reach of the application role (row-level security)', async () => {
    await open();
    const client = new Client({ connectionString: env.db.url });
    await client.connect();
    try {
      await client.query('SET ROLE incidents_app');
      await client.query('BEGIN');
      await client.query(`SELECT set_config('app.regions', 'AST', true)`);
      const hidden = await client.query('SELECT count(*)::int AS n FROM incidents.incidents');
      await client.query(`SELECT set_config('app.regions', 'ALA', true)`);
      const visible = await client.query('SELECT count(*)::int AS n FROM incidents.incidents');
      await client.query('ROLLBACK');
      expect(hidden.rows[0].n).toBe(0);
      expect(visible.rows[0].n).toBeGreaterThan(0);
      await expect(client.query('UPDATE incidents.audit_log SET purpose = NULL')).rejects.toThrow();
    } finally {
      await client.end();
    }
  });

  it('keeps every transition in the hash-chained audit log', async () => {
    const incident = await open();
    const reason = `duplicate of a call ${incident.id.slice(0, 8)}`;
    await move(incident.id, { to: 'dismissed', reason, resolution: 'duplicate' }).expect(200);
    const auditor = await env.identity.bearer('auditor', 'all', 'aud-1');
    const response = await api()
      .get(`/audit-log?objectType=incident&objectId=${incident.id}`)
      .set('authorization', auditor);
    expect(response.status).toBe(200);
    expect(JSON.stringify(response.body)).toContain(reason);
  });

  it('erases consumed event ids past their retention when the retention job runs, and logs the erasure', async () => {
    const expired = `expired-${randomUUID()}`;
    const recent = `recent-${randomUUID()}`;
    const client = new Client({ connectionString: env.db.url });
    await client.connect();
    try {
      await client.query(
        `INSERT INTO incidents.inbox (consumer_group, event_id, topic, processed_at)
         VALUES ('retention-test', $1, 'safecity.matches.v1', now() - interval '15 days'),
                ('retention-test', $2, 'safecity.matches.v1', now())`,
        [expired, recent],
      );
      const result = await env.service.app.get(RetentionJob).runOnce();
      expect(result).toMatchObject({ ran: true });
      const left = await client.query(
        `SELECT event_id FROM incidents.inbox WHERE consumer_group = 'retention-test' ORDER BY event_id`,
      );
      expect(left.rows.map((r) => r.event_id)).toEqual([recent]);
    } finally {
      await client.end();
    }
    const auditor = await env.identity.bearer('auditor', 'all', 'aud-1');
    const erasures = (
      await api()
        .get('/audit-log?objectType=data-class&objectId=consumed-event-ids')
        .set('authorization', auditor)
    ).body.items as { action: string; details: { count: number } }[];
    expect(erasures[0]).toMatchObject({ action: 'erase', details: { count: 1 } });
  });
});
