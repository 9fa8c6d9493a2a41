import { randomUUID } from 'node:crypto';
import { RetentionJob } from '@safecity/security';
import { eventually } from '@safecity/testing';
import { Client } from 'pg';
import request from 'supertest';
import { plateMatched } from './fixtures';
import { createdFromNow, EventTypes, startInProcessIncidents, type InProcessIncidents } from './harness';
import { SseClient } from './sse-client';

describe('retention of incidents and citizen reports', () => {
  let env: InProcessIncidents;
  let pg: Client;
  let operator: string;
  let auditor: string;
  let channel: string;
  const clients: SseClient[] = [];

  beforeAll(async () => {
    env = await startInProcessIncidents('incret');
    pg = new Client({ connectionString: env.db.url });
    await pg.connect();
    operator = await env.identity.bearer('operator', ['ALA'], 'op-1');
    auditor = await env.identity.bearer('auditor', 'all', 'aud-1');
    channel = await env.identity.bearer('service', ['ALA'], 'zan-men-tartip');
  }, 60_000);

  afterAll(async () => {
    for (const client of clients) client.close();
    await pg?.end();
    await env?.close();
  }, 30_000);

  const api = () => request(env.service.httpUrl);
  const retain = () => env.service.app.get(RetentionJob).runOnce();
  const idle = () => env.bus.whenIdle(10_000);
  const move = (id: string, body: object) =>
    api().post(`/incidents/${id}/transitions`).set('authorization', operator).send(body).expect(200);
  const plateIncident = async (plate: string, since: string) => {
    const found = (
      await api().get(`/incidents?sourceKind=plate-match&${since}`).set('authorization', operator).expect(200)
    ).body.items.filter((i: { title: string }) => i.title.includes(plate)) as { id: string }[];
    expect(found).toHaveLength(1);
    return found[0];
  };
  /** As if the incident had ended `days` ago. */
  const endedAgo = (id: string, days: number) =>
    pg.query(`UPDATE incidents.incidents SET ended_at = now() - make_interval(days => $2) WHERE id = $1`, [
      id,
      days,
    ]);
  const rows = async (table: string, column: string, id: string) =>
    Number(
      (await pg.query(`SELECT count(*) FROM incidents.${table} WHERE ${column} = $1`, [id])).rows[0].count,
    );
  const erasures = async (dataClass: string) =>
    (
      await api()
        .get(`/audit-log?objectType=data-class&objectId=${dataClass}`)
        .set('authorization', auditor)
        .expect(200)
    ).body.items as { action: string; purpose: string; legalBasis: string; details: { count: number } }[];

  it('erases a dismissed plate hit after its period with all its evidence, a handled incident after its own, and audits both', async () => {
    const since = createdFromNow();
    // A one-edit reading of a listed plate, dismissed as a false alarm: a stranger's car.
    env.publish(EventTypes.PlateMatched, 'k', plateMatched({ plate: '704KZZ03', listedPlate: '704KZZ02' }));
    env.publish(EventTypes.PlateMatched, 'k', plateMatched({ plate: '705KZZ02' }));
    env.publish(EventTypes.PlateMatched, 'k', plateMatched({ plate: '706KZZ02' }));
    env.publish(EventTypes.PlateMatched, 'k', plateMatched({ plate: '708KZZ02' }));
    await idle();
    const falseAlarm = await plateIncident('704KZZ03', since);
    const recentlyDismissed = await plateIncident('705KZZ02', since);
    const handled = await plateIncident('706KZZ02', since);
    const longHandled = await plateIncident('708KZZ02', since);
    await move(falseAlarm.id, { to: 'dismissed', reason: 'another car', resolution: 'false-alarm' });
    await move(recentlyDismissed.id, { to: 'dismissed', reason: 'another car' });
    for (const incident of [handled, longHandled]) {
      const plate = incident === handled ? '706KZZ02' : '708KZZ02';
      await move(incident.id, { to: 'verified', visualCheck: { plate, make: 'Toyota', colour: 'white' } });
      await move(incident.id, { to: 'resolved', resolution: 'handed-over' });
      await move(incident.id, { to: 'closed' });
    }
    await endedAgo(falseAlarm.id, 31);
    await endedAgo(recentlyDismissed.id, 29);
    await endedAgo(handled.id, 31);
    await endedAgo(longHandled.id, 1096);

    const result = await retain();
    expect(result).toMatchObject({ ran: true });

    await api().get(`/incidents/${falseAlarm.id}`).set('authorization', operator).expect(404);
    for (const [table, column] of [
      ['incidents', 'id'],
      ['incident_sources', 'incident_id'],
      ['incident_history', 'incident_id'],
    ]) {
      expect(await rows(table, column, falseAlarm.id)).toBe(0);
    }
    await api().get(`/incidents/${longHandled.id}`).set('authorization', operator).expect(404);
    expect(await rows('incident_confirmations', 'incident_id', longHandled.id)).toBe(0);
    // Within their periods: kept.
    await api().get(`/incidents/${recentlyDismissed.id}`).set('authorization', operator).expect(200);
    const kept = (await api().get(`/incidents/${handled.id}`).set('authorization', operator).expect(200))
      .body;
    expect(kept.confirmations).toHaveLength(1);

    const [dismissedErasure] = await erasures('dismissed-incidents');
    expect(dismissedErasure).toMatchObject({
      action: 'erase',
      purpose: 'retention',
      legalBasis: expect.stringMatching(/30 days after the dismissal/),
      details: { count: 1 },
    });
    expect((await erasures('ended-incidents'))[0]).toMatchObject({
      action: 'erase',
      legalBasis: expect.stringMatching(/1095 days after it was resolved or closed/),
      details: { count: 1 },
    });
  });

  it("erases a citizen's contact data before the report, and the report with its incident", async () => {
    const text = `Broken street light ${randomUUID()}`;
    const ack = (
      await api()
        .post('/citizen-reports')
        .set('authorization', channel)
        .send({
          channel: 'egov',
          channelReportId: randomUUID(),
          category: 'infrastructure',
          text,
          address: 'ул. Абая, д. 10',
          regionCode: 'ALA',
          time: new Date().toISOString(),
          citizenId: `citizen-${randomUUID()}`,
          consentToContact: true,
          contact: '+77010000001',
        })
        .expect(201)
    ).body.acknowledgementId as string;
    const [{ id: reportId, incident_id: incidentId }] = (
      await pg.query('SELECT id, incident_id FROM incidents.citizen_reports WHERE acknowledgement_id = $1', [
        ack,
      ])
    ).rows;
    // Nowhere but in the contact data class.
    expect(
      JSON.stringify(
        (await pg.query('SELECT * FROM incidents.citizen_reports WHERE id = $1', [reportId])).rows,
      ),
    ).not.toContain('+7701');
    expect(await rows('citizen_report_contacts', 'report_id', reportId)).toBe(1);

    await pg.query(
      `UPDATE incidents.citizen_report_contacts SET received_at = now() - interval '31 days' WHERE report_id = $1`,
      [reportId],
    );
    await retain();
    expect(await rows('citizen_report_contacts', 'report_id', reportId)).toBe(0);
    expect((await erasures('citizen-contact-data'))[0]).toMatchObject({
      action: 'erase',
      details: { count: 1 },
    });
    // The report and its incident go on.
    expect((await api().get(`/citizen-reports/${ack}/status`).expect(200)).body.status).toBe(
      'incident-opened',
    );
    await api().get(`/incidents/${incidentId}`).set('authorization', operator).expect(200);

    await move(incidentId, { to: 'dismissed', reason: 'already repaired' });
    await endedAgo(incidentId, 31);
    await pg.query(
      `UPDATE incidents.citizen_reports SET received_at = now() - interval '32 days' WHERE id = $1`,
      [reportId],
    );
    await retain();
    expect(await rows('incidents', 'id', incidentId)).toBe(0);
    expect(await rows('citizen_reports', 'id', reportId)).toBe(0);
    await api().get(`/citizen-reports/${ack}/status`).expect(404);
    expect((await erasures('citizen-reports'))[0]).toMatchObject({ action: 'erase', details: { count: 1 } });
  });

  it('keeps correlating live incidents and resuming the live stream across an erasure', async () => {
    const since = createdFromNow();
    const client = new SseClient(`${env.service.httpUrl}/incidents/stream`, { authorization: operator });
    clients.push(client);
    expect(await client.connect()).toBe(200);
    env.publish(EventTypes.PlateMatched, 'k', plateMatched({ plate: '707KZZ02' }));
    await idle();
    const old = await plateIncident('707KZZ02', since);
    await move(old.id, { to: 'dismissed', reason: 'another car' });
    // The same plate seen again: the dismissed incident is closed to it, a new one opens.
    env.publish(EventTypes.PlateMatched, 'k', plateMatched({ plate: '707KZZ02' }));
    await idle();
    const live = (
      await api().get(`/incidents?sourceKind=plate-match&${since}`).set('authorization', operator).expect(200)
    ).body.items.find((i: { id: string; title: string }) => i.title.includes('707KZZ02') && i.id !== old.id);
    await eventually(() => client.incidents().some((e) => e.incidentId === live.id));
    const lastId = client.lastEventId()!;
    client.close();

    // Long ago, as far as retention can tell: the incident and its changes on the feed.
    await endedAgo(old.id, 31);
    await pg.query(
      `UPDATE incidents.incident_changes SET changed_at = now() - interval '8 days' WHERE incident_id = $1`,
      [old.id],
    );
    await retain();
    expect(await rows('incidents', 'id', old.id)).toBe(0);
    expect(await rows('incident_changes', 'incident_id', old.id)).toBe(0);

    env.publish(EventTypes.PlateMatched, 'k', plateMatched({ plate: '707KZZ02' }));
    await idle();
    const plates = (
      await api().get(`/incidents?sourceKind=plate-match&${since}`).set('authorization', operator).expect(200)
    ).body.items.filter((i: { title: string }) => i.title.includes('707KZZ02'));
    expect(plates.map((i: { id: string }) => i.id)).toEqual([live.id]);
    expect(
      (await api().get(`/incidents/${live.id}`).set('authorization', operator).expect(200)).body.sources,
    ).toHaveLength(2);

    const again = new SseClient(`${env.service.httpUrl}/incidents/stream`, {
      authorization: operator,
      'last-event-id': lastId,
    });
    clients.push(again);
    expect(await again.connect()).toBe(200);
    await eventually(() => again.incidents().some((e) => e.incidentId === live.id && e.kind === 'updated'));
    const seqs = again.incidents().map((e) => e.seq);
    expect(seqs[0]).toBeGreaterThan(Number(lastId));
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    expect(again.incidents().some((e) => e.incidentId === old.id)).toBe(false);
  });
});
