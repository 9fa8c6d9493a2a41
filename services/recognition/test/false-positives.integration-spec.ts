import { randomUUID } from 'node:crypto';
import { EventTypes, incidents, recognition, Topics } from '@safecity/contracts';
import { cloudEventHeaders } from '@safecity/messaging';
import { eventually } from '@safecity/testing';
import type { DirectoryCamera } from '../src/camera-directory/camera-directory.repository';
import { BehaviourAnalyser } from '../src/behaviour/behaviour.analyser';
import { PlateMatchAnalyser } from '../src/plates/plate-match.analyser';
import { detectionAt, inAWeek, startMatchingWorld, type MatchingWorld } from './matching-harness';

const { IncidentSourceKind, IncidentState, IncidentChangeKind, Resolution } = incidents;

describe('false positives reported back by incidents', () => {
  let world: MatchingWorld;
  let camera: DirectoryCamera;
  let quietCamera: DirectoryCamera;
  let hotlistA: string;
  let hotlistB: string;
  let plateMatchId: string;
  let alertId: string;

  beforeAll(async () => {
    world = await startMatchingWorld('recfeedback');
    camera = await world.camera('ALA');
    quietCamera = await world.camera('ALA');
    const admin = await world.as('admin');
    const list = async (name: string) =>
      (
        await admin
          .post('/watchlists')
          .send({ kind: 'plate', name, regionCode: 'ALA', legalBasis: 'Order 1', owner: 'ALA police' })
          .expect(201)
      ).body.id as string;
    hotlistA = await list('A');
    hotlistB = await list('B');
    for (const id of [hotlistA, hotlistB]) {
      await admin
        .post(`/watchlists/${id}/plates`)
        .send({
          plate: '123ABC02',
          reason: 'stolen-vehicle',
          priority: 3,
          legalBasis: `Case ${id}`,
          owner: 'o',
          expiresAt: inAWeek(),
        })
        .expect(201);
    }
    await admin
      .post(`/cameras/${camera.id}/behaviour-rules`)
      .send({ behaviour: 'loitering', minConfidence: 0.5, severity: 'medium' })
      .expect(201);
    const plate = detectionAt(camera, {
      plate: recognition.PlateObservation.fromPartial({ text: '123ABC02', confidence: 0.9 }),
    });
    const loitering = detectionAt(camera, {
      behaviour: recognition.BehaviourObservation.fromPartial({
        type: recognition.BehaviourType.BEHAVIOUR_TYPE_LOITERING,
        confidence: 0.9,
      }),
    });
    await world.analyse(
      [world.service.app.get(PlateMatchAnalyser), world.service.app.get(BehaviourAnalyser)],
      [plate, loitering],
    );
    [{ id: plateMatchId }] = await world.sql(`SELECT id FROM recognition.matches WHERE detection_id = $1`, [
      plate.detection.id,
    ]);
    [{ id: alertId }] = await world.sql(
      `SELECT id FROM recognition.behaviour_alerts WHERE detection_id = $1`,
      [loitering.detection.id],
    );
  });

  afterAll(async () => {
    await world?.close();
  });

  function publish(change: incidents.IncidentChanged, id = randomUUID()) {
    const value = Buffer.from(incidents.IncidentChanged.encode(change).finish());
    const type =
      change.kind === IncidentChangeKind.INCIDENT_CHANGE_KIND_STATE_CHANGED
        ? EventTypes.IncidentStateChanged
        : EventTypes.IncidentUpdated;
    world.bus.publish([
      {
        topic: Topics.Incidents,
        key: change.incident!.id,
        value,
        headers: cloudEventHeaders(
          { id, topic: Topics.Incidents, key: change.incident!.id, type, payload: value, region: 'ALA' },
          '/safecity/incidents',
        ),
      },
    ]);
    return id;
  }

  const dismissal = (resolution: incidents.Resolution, sources: [incidents.IncidentSourceKind, string][]) =>
    incidents.IncidentChanged.fromPartial({
      kind: IncidentChangeKind.INCIDENT_CHANGE_KIND_STATE_CHANGED,
      previousState: IncidentState.INCIDENT_STATE_NEW,
      reason: 'not the car',
      changedAt: new Date(),
      incident: {
        id: randomUUID(),
        regionCode: 'ALA',
        state: IncidentState.INCIDENT_STATE_DISMISSED,
        resolution,
        sources: sources.map(([kind, refId]) => ({ kind, refId, addedAt: new Date() })),
      },
    });

  async function counts() {
    const analyst = await world.as('analyst', ['ALA']);
    const cameras = (await analyst.get('/false-positives/by-camera').expect(200)).body;
    const lists = (await analyst.get('/false-positives/by-watchlist').expect(200)).body;
    return { cameras, lists };
  }

  it('counts a false-alarm dismissal once per camera and once per watchlist, however often it is delivered', async () => {
    const change = dismissal(Resolution.RESOLUTION_FALSE_ALARM, [
      [IncidentSourceKind.INCIDENT_SOURCE_KIND_PLATE_MATCH, plateMatchId],
      [IncidentSourceKind.INCIDENT_SOURCE_KIND_BEHAVIOUR_ALERT, alertId],
      [IncidentSourceKind.INCIDENT_SOURCE_KIND_CITIZEN_REPORT, randomUUID()],
      [IncidentSourceKind.INCIDENT_SOURCE_KIND_PLATE_MATCH, randomUUID()],
    ]);
    const eventId = publish(change);
    const { cameras } = await eventually(
      async () => {
        const c = await counts();
        return c.cameras.length > 0 ? c : undefined;
      },
      { message: 'false positives counted' },
    );
    expect(cameras).toEqual([
      { cameraId: camera.id, regionCode: 'ALA', falsePositives: 2, plate: 1, face: 0, behaviour: 1 },
    ]);
    // Redelivered, and published again under another event id: nothing more is counted.
    publish(change, eventId);
    publish(change);
    await world.bus.whenIdle();
    await new Promise((r) => setTimeout(r, 300));
    const { lists } = await counts();
    expect(lists).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ watchlistId: hotlistA, falsePositives: 1, kind: 'plate', name: 'A' }),
        expect.objectContaining({ watchlistId: hotlistB, falsePositives: 1, kind: 'plate', name: 'B' }),
      ]),
    );
    expect(lists).toHaveLength(2);
    expect((await counts()).cameras[0].falsePositives).toBe(2);
    expect((await counts()).cameras.map((c: { cameraId: string }) => c.cameraId)).not.toContain(
      quietCamera.id,
    );
  });

  it('ignores dismissals for other reasons and incidents still open, and shows counts to their region only', async () => {
    publish(
      dismissal(Resolution.RESOLUTION_DUPLICATE, [
        [IncidentSourceKind.INCIDENT_SOURCE_KIND_PLATE_MATCH, plateMatchId],
      ]),
    );
    const open = dismissal(Resolution.RESOLUTION_UNSPECIFIED, [
      [IncidentSourceKind.INCIDENT_SOURCE_KIND_BEHAVIOUR_ALERT, alertId],
    ]);
    open.incident!.state = IncidentState.INCIDENT_STATE_VERIFIED;
    publish(open);
    await new Promise((r) => setTimeout(r, 500));
    expect((await counts()).cameras[0].falsePositives).toBe(2);
    const elsewhere = await world.as('analyst', ['AST']);
    expect((await elsewhere.get('/false-positives/by-camera').expect(200)).body).toEqual([]);
    await (await world.as('operator', ['ALA'])).get('/false-positives/by-camera').expect(403);
    await (
      await world.as('analyst', ['ALA'])
    )
      .get('/false-positives/by-camera')
      .query({ since: 'yesterday' })
      .expect(400);
  });

  it('dead-letters an incident change it cannot read, and goes on with the next', async () => {
    const dead: string[] = [];
    world.bus.subscribe(
      'dlq-observer',
      [`${Topics.Incidents}.dlq`],
      async (r) => void dead.push(r.headers['ce_id']),
    );
    const broken = incidents.IncidentChanged.fromPartial({
      kind: IncidentChangeKind.INCIDENT_CHANGE_KIND_STATE_CHANGED,
    });
    const value = Buffer.from(incidents.IncidentChanged.encode(broken).finish());
    const id = randomUUID();
    world.bus.publish([
      {
        topic: Topics.Incidents,
        key: 'x',
        value,
        headers: cloudEventHeaders(
          { id, topic: Topics.Incidents, key: 'x', type: EventTypes.IncidentStateChanged, payload: value },
          '/test',
        ),
      },
    ]);
    const later = dismissal(Resolution.RESOLUTION_FALSE_ALARM, [
      [IncidentSourceKind.INCIDENT_SOURCE_KIND_PLATE_MATCH, plateMatchId],
    ]);
    publish(later);
    await eventually(() => dead.includes(id), { message: 'dead letter' });
    await eventually(async () => (await counts()).cameras[0].plate === 2, { message: 'next event applied' });
  });
});
