import { status } from '@grpc/grpc-js';
import { EventTypes, recognition, Topics } from '@safecity/contracts';
import { CeHeader } from '@safecity/messaging';
import { eventually } from '@safecity/testing';
import type { DirectoryCamera } from '../src/camera-directory/camera-directory.repository';
import { BehaviourAnalyser } from '../src/behaviour/behaviour.analyser';
import { detectionAt, recognitionClient, startMatchingWorld, type MatchingWorld } from './matching-harness';

const { BehaviourType } = recognition;

describe('behaviour rules turn analytics events into alerts', () => {
  let world: MatchingWorld;
  let analyser: BehaviourAnalyser;
  let yardCamera: DirectoryCamera;
  let otherCamera: DirectoryCamera;
  const yard = [
    { x: 0.5, y: 0.5 },
    { x: 1, y: 0.5 },
    { x: 1, y: 1 },
    { x: 0.5, y: 1 },
  ];
  // Wednesday 25 November 2026, 23:30 in Almaty; 14:00 the day after.
  const night = new Date('2026-11-25T18:30:00Z');
  const day = new Date('2026-11-26T09:00:00Z');

  beforeAll(async () => {
    world = await startMatchingWorld('recbehaviour');
    analyser = world.service.app.get(BehaviourAnalyser);
    yardCamera = await world.camera('ALA');
    otherCamera = await world.camera('ALA');
  });

  afterAll(async () => {
    await world?.close();
  });

  const event = (
    camera: DirectoryCamera,
    type: recognition.BehaviourType,
    confidence: number,
    observedAt: Date,
    frameBox: recognition.NormalizedBox | null = null,
  ) =>
    detectionAt(
      camera,
      {
        behaviour: recognition.BehaviourObservation.fromPartial({
          type,
          confidence,
          ruleName: 'vendor-zone-1',
          dwellSeconds: 40,
        }),
      },
      { observedAt, frameBox },
    );

  const alertsOf = (detectionId: string) =>
    world.sql(
      `SELECT id, rule_id AS "ruleId", severity FROM recognition.behaviour_alerts WHERE detection_id = $1`,
      [detectionId],
    );

  it('lets the region keep rules per camera, validated, and nobody else', async () => {
    const integrator = await world.as('region-admin', ['ALA'], 'integrator-ala');
    const bad = await integrator
      .post(`/cameras/${yardCamera.id}/behaviour-rules`)
      .send({
        behaviour: 'dancing',
        minConfidence: 2,
        severity: 'high',
        schedule: [{ days: [8], from: '25:00', to: '6' }],
        zone: [{ x: 0, y: 0 }],
      })
      .expect(400);
    expect(bad.body.problems.map((p: { field: string }) => p.field)).toEqual(
      expect.arrayContaining([
        'behaviour',
        'minConfidence',
        'schedule.0.days',
        'schedule.0.from',
        'schedule.0.to',
        'zone',
      ]),
    );
    const zone = await integrator
      .post(`/cameras/${yardCamera.id}/behaviour-rules`)
      .send({ behaviour: 'intrusion', minConfidence: 0.5, severity: 'high', timeZone: 'Mars/Olympus' })
      .expect(422);
    expect(zone.body.problems).toEqual([{ field: 'timeZone', reason: 'unknown time zone Mars/Olympus' }]);
    const outsider = await world.as('region-admin', ['AST'], 'integrator-ast');
    await outsider
      .post(`/cameras/${yardCamera.id}/behaviour-rules`)
      .send({ behaviour: 'fight', minConfidence: 0.5, severity: 'high' })
      .expect(404);
    const operator = await world.as('operator', ['ALA']);
    await operator
      .post(`/cameras/${yardCamera.id}/behaviour-rules`)
      .send({ behaviour: 'fight', minConfidence: 0.5, severity: 'high' })
      .expect(403);
  });

  it('raises an alert only for the camera, behaviour, confidence, hours and zone a rule names', async () => {
    const supervisor = await world.as('supervisor', ['ALA'], 'sup-ala');
    const { body: rule } = await supervisor
      .post(`/cameras/${yardCamera.id}/behaviour-rules`)
      .send({
        behaviour: 'intrusion',
        minConfidence: 0.7,
        severity: 'critical',
        schedule: [{ days: [1, 2, 3, 4, 5, 6, 7], from: '22:00', to: '06:00' }],
        zone: yard,
      })
      .expect(201);
    expect(rule).toMatchObject({ timeZone: 'Asia/Almaty', enabled: true, version: 1 });
    const inside = { x: 0.6, y: 0.5, width: 0.1, height: 0.3 };
    const outside = { x: 0.1, y: 0.1, width: 0.1, height: 0.3 };
    const fires = event(yardCamera, BehaviourType.BEHAVIOUR_TYPE_INTRUSION, 0.9, night, inside);
    const misses = [
      event(yardCamera, BehaviourType.BEHAVIOUR_TYPE_INTRUSION, 0.5, night, inside),
      event(yardCamera, BehaviourType.BEHAVIOUR_TYPE_INTRUSION, 0.9, day, inside),
      event(yardCamera, BehaviourType.BEHAVIOUR_TYPE_INTRUSION, 0.9, night, outside),
      event(yardCamera, BehaviourType.BEHAVIOUR_TYPE_INTRUSION, 0.9, night, null),
      event(yardCamera, BehaviourType.BEHAVIOUR_TYPE_LOITERING, 0.9, night, inside),
      event(otherCamera, BehaviourType.BEHAVIOUR_TYPE_INTRUSION, 0.9, night, inside),
    ];
    await world.analyse([analyser], [fires, ...misses]);
    const [alert] = await alertsOf(fires.detection.id);
    expect(alert).toMatchObject({ ruleId: rule.id, severity: 'critical' });
    for (const miss of misses) expect(await alertsOf(miss.detection.id)).toEqual([]);

    const record = await eventually(
      () =>
        world.published.find(
          (r) => r.topic === Topics.Alerts && r.headers[CeHeader.Subject] === `alert/${alert.id}`,
        ),
      {
        message: 'BehaviourAlertRaised',
      },
    );
    expect(record.key).toBe(yardCamera.id);
    expect(record.headers[CeHeader.Type]).toBe(EventTypes.BehaviourAlertRaised);
    const raised = recognition.BehaviourAlertRaised.decode(record.value).alert;
    expect(raised).toMatchObject({
      id: alert.id,
      detectionId: fires.detection.id,
      type: BehaviourType.BEHAVIOUR_TYPE_INTRUSION,
      severity: recognition.AlertSeverity.ALERT_SEVERITY_CRITICAL,
      ruleId: rule.id,
      ruleName: 'vendor-zone-1',
      dwellSeconds: 40,
      regionCode: 'ALA',
    });

    // The same detection again raises nothing new.
    await world.analyse([analyser], [fires]);
    expect(await alertsOf(fires.detection.id)).toHaveLength(1);

    const client = recognitionClient(world.grpcUrl);
    try {
      const got = await client.call<{ alert: { id: string } }>(
        'GetBehaviourAlert',
        { id: alert.id },
        await world.identity.token('operator', ['ALA']),
      );
      expect(got.alert.id).toBe(alert.id);
      await expect(
        client.call('GetBehaviourAlert', { id: alert.id }, await world.identity.token('operator', ['AST'])),
      ).rejects.toMatchObject({ code: status.NOT_FOUND });
    } finally {
      client.close();
    }
  });

  it('follows rule changes: disabled rules are silent, edited ones apply at once', async () => {
    const supervisor = await world.as('supervisor', ['ALA'], 'sup-ala');
    const { body: rule } = await supervisor
      .post(`/cameras/${otherCamera.id}/behaviour-rules`)
      .send({ behaviour: 'fight', minConfidence: 0.8, severity: 'high' })
      .expect(201);
    const weak = event(otherCamera, BehaviourType.BEHAVIOUR_TYPE_FIGHT, 0.6, day);
    await world.analyse([analyser], [weak]);
    expect(await alertsOf(weak.detection.id)).toEqual([]);
    const edited = await supervisor
      .patch(`/behaviour-rules/${rule.id}`)
      .send({ minConfidence: 0.5 })
      .expect(200);
    expect(edited.body.version).toBe(2);
    const again = event(otherCamera, BehaviourType.BEHAVIOUR_TYPE_FIGHT, 0.6, day);
    await world.analyse([analyser], [again]);
    expect(await alertsOf(again.detection.id)).toHaveLength(1);
    await supervisor.patch(`/behaviour-rules/${rule.id}`).send({ enabled: false }).expect(200);
    const silent = event(otherCamera, BehaviourType.BEHAVIOUR_TYPE_FIGHT, 0.9, day);
    await world.analyse([analyser], [silent]);
    expect(await alertsOf(silent.detection.id)).toEqual([]);
    const listed = await (
      await world.as('operator', ['ALA'])
    )
      .get(`/cameras/${otherCamera.id}/behaviour-rules`)
      .expect(200);
    expect(listed.body).toEqual([expect.objectContaining({ id: rule.id, enabled: false })]);
    await supervisor.delete(`/behaviour-rules/${rule.id}`).expect(204);
    await supervisor.get(`/behaviour-rules/${rule.id}`).expect(404);
  });
});
