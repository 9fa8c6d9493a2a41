import { incidents as contract, recognition, Topics } from '@safecity/contracts';
import type { ConsumedRecord } from '@safecity/messaging';
import { eventually } from '@safecity/testing';
import request from 'supertest';
import { OperationsCenterDirectory } from '../src/operations/operations-center.directory';
import { SlaMonitor } from '../src/sla/sla-monitor';
import { behaviourAlert } from './fixtures';
import { createdFromNow, EventTypes, startInProcessIncidents, type InProcessIncidents } from './harness';

describe('SOPs, units and SLA', () => {
  let env: InProcessIncidents;
  let operator: string;
  let supervisor: string;
  let nationalSupervisor: string;
  const published: ConsumedRecord[] = [];

  beforeAll(async () => {
    env = await startInProcessIncidents('incops');
    env.bus.subscribe('test-observer', [Topics.Incidents], async (r) => void published.push(r));
    operator = await env.identity.bearer('operator', ['ALA'], 'op-1');
    supervisor = await env.identity.bearer('supervisor', ['ALA'], 'sup-1');
    nationalSupervisor = await env.identity.bearer('supervisor', 'all', 'sup-kz');
  }, 60_000);

  afterAll(() => env?.close(), 30_000);

  const api = () => request(env.service.httpUrl);
  const open = async (category: string, title = 'Incident', regionCode = 'ALA') =>
    (
      await api()
        .post('/incidents')
        .set('authorization', await env.identity.bearer('operator', [regionCode], `op-${regionCode}`))
        .send({ category, regionCode, title, location: { lat: 43.25, lon: 76.92 } })
        .expect(201)
    ).body as { id: string; sop: { sopId: string; sopVersion: number } | null; version: number };
  const move = (id: string, body: Record<string, unknown>) =>
    api().post(`/incidents/${id}/transitions`).set('authorization', operator).send(body);
  const newUnit = async (callSign: string) =>
    (
      await api()
        .post('/units')
        .set('authorization', supervisor)
        .send({ callSign, kind: 'patrol', regionCode: 'ALA' })
        .expect(201)
    ).body as { id: string };

  it('versions national SOPs edited by national supervisors; an open incident keeps the version it started with', async () => {
    const steps = [
      { id: 'watch-video', title: 'Watch the live video' },
      { id: 'send-unit', title: 'Send the nearest patrol' },
      { id: 'call-ambulance', title: 'Call an ambulance if anyone is hurt' },
    ];
    await api().put('/sops/violence').set('authorization', operator).send({ steps }).expect(403);
    const v1 = (
      await api().put('/sops/violence').set('authorization', nationalSupervisor).send({ steps }).expect(200)
    ).body;
    expect(v1).toMatchObject({ category: 'violence', regionCode: null, version: 1, editedBy: 'sup-kz' });
    const incident = await open('violence');
    expect(incident.sop).toEqual({ sopId: v1.id, sopVersion: 1 });
    const v2 = (
      await api()
        .put('/sops/violence')
        .set('authorization', nationalSupervisor)
        .send({ steps: steps.slice(0, 2) })
        .expect(200)
    ).body;
    expect(v2.version).toBe(2);
    const progress = (
      await api().get(`/incidents/${incident.id}/sop`).set('authorization', operator).expect(200)
    ).body;
    expect(progress.sop.version).toBe(1);
    expect(progress.steps).toHaveLength(3);
    await api()
      .put('/sops/violence')
      .set('authorization', nationalSupervisor)
      .send({
        steps: [
          { id: 'a', title: 'x' },
          { id: 'a', title: 'y' },
        ],
      })
      .expect(422);
  });

  it('keeps a region’s own checklist to its incidents: an Almaty supervisor cannot change what Astana’s incidents get', async () => {
    const national = [
      { id: 'assess', title: 'Assess the fire on the video' },
      { id: 'call-fire-service', title: 'Call the fire service' },
    ];
    const almatyOwn = [...national, { id: 'clear-bazaar', title: 'Clear the bazaar exits' }];
    const v1 = (
      await api()
        .put('/sops/fire')
        .set('authorization', nationalSupervisor)
        .send({ steps: national })
        .expect(200)
    ).body;
    // The national checklist is every region's: an Almaty supervisor may not edit it …
    const refused = await api()
      .put('/sops/fire')
      .set('authorization', supervisor)
      .send({ steps: almatyOwn })
      .expect(403);
    expect(refused.body.message).toMatch(/only national roles/);
    // … nor Astana's own version, which is another region's (answered as missing) …
    await api()
      .put('/sops/fire/regions/AST')
      .set('authorization', supervisor)
      .send({ steps: almatyOwn })
      .expect(404);
    // … but Almaty may keep its own.
    const own = (
      await api()
        .put('/sops/fire/regions/ALA')
        .set('authorization', supervisor)
        .send({ steps: almatyOwn })
        .expect(200)
    ).body;
    expect(own).toMatchObject({ category: 'fire', regionCode: 'ALA', version: 1, editedBy: 'sup-1' });

    const astana = await open('fire', 'Smoke at the Khan Shatyr', 'AST');
    expect(astana.sop).toEqual({ sopId: v1.id, sopVersion: 1 });
    const almaty = await open('fire', 'Smoke at the Green Bazaar');
    expect(almaty.sop).toEqual({ sopId: own.id, sopVersion: 1 });
    // Incidents raised from alerts take the same rule in their batch insert.
    const since = createdFromNow();
    for (const regionCode of ['ALA', 'AST']) {
      env.publish(
        EventTypes.BehaviourAlertRaised,
        `fire-${regionCode}`,
        behaviourAlert({ type: recognition.BehaviourType.BEHAVIOUR_TYPE_FIRE_SMOKE, regionCode }),
      );
    }
    await env.bus.whenIdle(10_000);
    const fromAlerts = (
      await api()
        .get(`/incidents?category=fire&sourceKind=behaviour-alert&${since}`)
        .set('authorization', nationalSupervisor)
        .expect(200)
    ).body.items as { regionCode: string; sop: { sopId: string } }[];
    expect(Object.fromEntries(fromAlerts.map((i) => [i.regionCode, i.sop.sopId]))).toEqual({
      ALA: own.id,
      AST: v1.id,
    });

    const astanaGets = await api()
      .get('/sops/fire/regions/AST')
      .set('authorization', await env.identity.bearer('operator', ['AST']))
      .expect(200);
    expect(astanaGets.body).toMatchObject({ id: v1.id, regionCode: null });
    const nationalNow = await api().get('/sops/fire').set('authorization', supervisor).expect(200);
    expect(nationalNow.body).toMatchObject({ id: v1.id, regionCode: null, version: 1 });

    // The audit records say whose checklist changed.
    const records = async (id: string, regions: string[] | 'all') =>
      (
        await api()
          .get(`/audit-log?objectType=sop&objectId=${id}`)
          .set('authorization', await env.identity.bearer('auditor', regions))
          .expect(200)
      ).body.items;
    expect(await records(own.id, ['ALA'])).toEqual([
      expect.objectContaining({ regionCode: 'ALA', details: expect.objectContaining({ scope: 'regional' }) }),
    ]);
    expect(await records(v1.id, 'all')).toEqual([
      expect.objectContaining({ regionCode: null, details: expect.objectContaining({ scope: 'national' }) }),
    ]);
  });

  it('records out-of-order and skipped steps as deviations shown to supervisors', async () => {
    const incident = await open('violence', 'Fight with deviations');
    const done = await api()
      .post(`/incidents/${incident.id}/sop/steps/send-unit`)
      .set('authorization', operator)
      .send({})
      .expect(201);
    expect(done.body.deviation).toEqual({ skipped: ['watch-video'] });
    await api()
      .post(`/incidents/${incident.id}/sop/steps/send-unit`)
      .set('authorization', operator)
      .send({})
      .expect(409);
    await api()
      .post(`/incidents/${incident.id}/sop/steps/dance`)
      .set('authorization', operator)
      .send({})
      .expect(404);
    await move(incident.id, { to: 'verified' }).expect(200);
    await move(incident.id, { to: 'resolved', resolution: 'no-action-needed' }).expect(200);
    const progress = (
      await api().get(`/incidents/${incident.id}/sop`).set('authorization', operator).expect(200)
    ).body;
    expect(progress.deviations.map((d: { stepId: string; kind: string }) => `${d.kind}:${d.stepId}`)).toEqual(
      ['out-of-order:send-unit', 'skipped:watch-video'],
    );
    // Opened after version 2, which dropped the ambulance step.
    expect(progress.sop.version).toBe(2);
    const overview = (await api().get('/supervisor/overview').set('authorization', supervisor).expect(200))
      .body;
    expect(
      overview.sopDeviations.filter((d: { incidentId: string }) => d.incidentId === incident.id),
    ).toHaveLength(2);
    await api().get('/supervisor/overview').set('authorization', operator).expect(403);
  });

  it('dispatches an available unit, keeps it busy until the incident is resolved', async () => {
    const unit = await newUnit('Sunkar-7');
    await api()
      .patch(`/units/${unit.id}`)
      .set('authorization', operator)
      .send({ position: { lat: 43.26, lon: 76.93 } })
      .expect(200);
    const first = await open('theft', 'First');
    const second = await open('theft', 'Second');
    await move(first.id, { to: 'verified' }).expect(200);
    await move(second.id, { to: 'verified' }).expect(200);
    const dispatched = (await move(first.id, { to: 'dispatched', unitId: unit.id }).expect(200)).body
      .incident;
    expect(dispatched.assignment.unitId).toBe(unit.id);
    const busy = await move(second.id, { to: 'dispatched', unitId: unit.id }).expect(409);
    expect(busy.body.message).toMatch(/Sunkar-7 is dispatched/);
    await move(first.id, { to: 'on-scene' }).expect(200);
    const units = (await api().get('/units?lat=43.25&lon=76.92').set('authorization', operator).expect(200))
      .body;
    expect(units.find((u: { id: string }) => u.id === unit.id)).toMatchObject({
      status: 'on-scene',
      lat: 43.26,
    });
    await move(first.id, { to: 'resolved', resolution: 'handled-on-scene' }).expect(200);
    await move(second.id, { to: 'dispatched', unitId: unit.id }).expect(200);
    await move(second.id, { to: 'dispatched', unitId: '00000000-0000-4000-8000-000000000009' }).expect(409);
  });

  it('escalates an SLA breach once, as an event and in the supervisor view', async () => {
    const incident = await open('fire', 'Smoke from a window');
    const monitor = env.service.app.get(SlaMonitor);
    // The count covers every incident of the suite; what this one shows is its own.
    await monitor.check(new Date(Date.now() - 60_000));
    const early = (await api().get(`/incidents/${incident.id}`).set('authorization', operator).expect(200))
      .body;
    expect(early.sla.breachedStages).toEqual([]);
    // Critical: verify within 1 minute, dispatch within 3.
    expect(await monitor.check(new Date(Date.now() + 2 * 60_000))).toBeGreaterThanOrEqual(1);
    const escalation = await eventually(() =>
      published
        .map((r) => contract.IncidentChanged.decode(r.value))
        .find((e) => e.incident?.id === incident.id && e.reason.startsWith('SLA breach')),
    );
    expect(escalation.reason).toBe('SLA breach: verify');
    expect(escalation.incident!.sla!.breachedStages).toEqual([contract.SlaStage.SLA_STAGE_VERIFY]);
    await monitor.check(new Date(Date.now() + 2 * 60_000));
    const overview = (await api().get('/supervisor/overview').set('authorization', supervisor).expect(200))
      .body;
    const mine = overview.escalations.filter((e: { incidentId: string }) => e.incidentId === incident.id);
    expect(mine).toEqual([expect.objectContaining({ stage: 'verify', priority: 'critical' })]);
    expect(overview.slaBreaches.map((i: { id: string }) => i.id)).toContain(incident.id);
    await monitor.check(new Date(Date.now() + 10 * 60_000));
    const detail = (await api().get(`/incidents/${incident.id}`).set('authorization', operator).expect(200))
      .body;
    expect(detail.sla.breachedStages).toEqual(['verify', 'dispatch']);
  });

  it('lets a supervisor hand an incident to another operator and center of its region, audited and published', async () => {
    // Centers far from every incident of the suite: nothing else is routed to them.
    const away = { minLon: 50, minLat: 40, maxLon: 50.1, maxLat: 40.1 };
    const night = '00000000-0000-4000-8000-0000000000a1';
    const astana = '00000000-0000-4000-8000-0000000000a2';
    env.service.app.get(OperationsCenterDirectory).replace([
      { id: night, name: 'Almaty night desk', regionCode: 'ALA', districtCode: null, coverage: away },
      { id: astana, name: 'Astana center', regionCode: 'AST', districtCode: null, coverage: away },
    ]);
    const incident = await open('public-order', 'Crowd at the stadium exit');
    const reassign = (body: Record<string, unknown>, token = supervisor) =>
      api().post(`/incidents/${incident.id}/assignment`).set('authorization', token).send(body);

    await reassign({ assigneeId: 'op-9', reason: 'x' }, operator).expect(403);
    await reassign({ assigneeId: 'op-9' }).expect(400);
    const elsewhere = await reassign({ operationsCenterId: astana, reason: 'wrong desk' }).expect(422);
    expect(elsewhere.body.problems).toEqual([{ field: 'operationsCenterId', reason: expect.any(String) }]);
    await reassign(
      { assigneeId: 'op-9', reason: 'x' },
      await env.identity.bearer('supervisor', ['AST'], 'sup-ast'),
    ).expect(404);
    await reassign({ assigneeId: 'op-9', reason: 'x', expectedVersion: incident.version + 5 }).expect(409);

    const handed = await reassign({
      assigneeId: 'op-9',
      operationsCenterId: night,
      reason: 'night shift takes over',
      expectedVersion: incident.version,
    }).expect(200);
    expect(handed.body.assignment).toMatchObject({ assigneeId: 'op-9', operationsCenterId: night });
    expect(handed.body.version).toBe(incident.version + 1);
    await reassign({ assigneeId: 'op-9', reason: 'again' }).expect(422);

    const change = await eventually(() =>
      published
        .map((r) => contract.IncidentChanged.decode(r.value))
        .find((e) => e.incident?.id === incident.id && e.reason === 'reassigned: night shift takes over'),
    );
    expect(change.kind).toBe(contract.IncidentChangeKind.INCIDENT_CHANGE_KIND_UPDATED);
    expect(change.actor?.id).toBe('sup-1');
    expect(change.incident!.assignment).toMatchObject({ assigneeId: 'op-9', operationsCenterId: night });

    const trail = (
      await api()
        .get(`/audit-log?objectType=incident&objectId=${incident.id}`)
        .set('authorization', await env.identity.bearer('auditor', 'all', 'aud-1'))
        .expect(200)
    ).body.items as { actorSubject: string; details: Record<string, unknown> }[];
    expect(trail.find((r) => r.details['reassigned'])).toMatchObject({
      actorSubject: 'sup-1',
      details: {
        reason: 'night shift takes over',
        reassigned: {
          from: { assigneeId: null, operationsCenterId: null },
          to: { assigneeId: 'op-9', operationsCenterId: night },
        },
      },
    });

    await move(incident.id, { to: 'dismissed', reason: 'dispersed', resolution: 'no-action-needed' }).expect(
      200,
    );
    await reassign({ assigneeId: 'op-1', reason: 'too late' }).expect(409);
  });
});
