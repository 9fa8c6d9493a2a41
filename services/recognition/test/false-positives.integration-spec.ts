import { randomUUID } from 'node:crypto';
import { EventTypes, incidents, recognition, Topics } from '@safecity/contracts';
import { cloudEventHeaders } from '@safecity/messaging';
import { BehaviourAnalyser } from '../src/behaviour/behaviour.analyser';
import { PlateMatchAnalyser } from '../src/plates/plate-match.analyser';
import { detectionAt, inAWeek, startMatchingWorld, type MatchingWorld } from './matching-harness';

const { IncidentSourceKind, IncidentState, IncidentChangeKind, Resolution } = incidents;

describe('false positives reported back by incidents', () => {
  let world: MatchingWorld;
  let plates = 0;

  beforeAll(async () => {
    world = await startMatchingWorld('recfeedback');
  });

  /**
   * A test's own camera, two hotlists of its own naming one plate, a loitering rule, and the plate
   * match and behaviour alert a detection of each raised there: counts a test asserts are its own.
   */
  async function scene() {
    const camera = await world.camera('ALA');
    const admin = await world.as('admin');
    const plateText = `${123 + plates++}ABC02`;
    const list = async (name: string) =>
      (
        await admin
          .post('/watchlists')
          .send({ kind: 'plate', name, regionCode: 'ALA', legalBasis: 'Order 1', owner: 'ALA police' })
          .expect(201)
      ).body.id as string;
    const hotlistA = await list(`A ${plateText}`);
    const hotlistB = await list(`B ${plateText}`);
    for (const id of [hotlistA, hotlistB]) {
      await admin
        .post(`/watchlists/${id}/plates`)
        .send({
          plate: plateText,
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
      plate: recognition.PlateObservation.fromPartial({ text: plateText, confidence: 0.9 }),
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
    const [{ id: plateMatchId }] = await world.sql(
      `SELECT id FROM recognition.matches WHERE detection_id = $1`,
      [plate.detection.id],
    );
    const [{ id: alertId }] = await world.sql(
      `SELECT id FROM recognition.behaviour_alerts WHERE detection_id = $1`,
      [loitering.detection.id],
    );
    return { camera, hotlistA, hotlistB, plateMatchId: plateMatchId as string, alertId: alertId as string };
  }

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

  /** The count of one camera; undefined while nothing is counted there. */
  async function cameraCount(cameraId: string) {
    const { cameras } = await counts();
    return cameras.find((c: { cameraId: string }) => c.cameraId === cameraId);
  }

  it('counts a false-alarm dismissal once per camera and once per watchlist, however often it is delivered', async () => {
    const { camera, hotlistA, hotlistB, plateMatchId, alertId } = await scene();
    const quietCamera = await world.camera('ALA');
    const change = dismissal(Resolution.RESOLUTION_FALSE_ALARM, [
      [IncidentSourceKind.INCIDENT_SOURCE_KIND_PLATE_MATCH, plateMatchId],
      [IncidentSourceKind.INCIDENT_SOURCE_KIND_BEHAVIOUR_ALERT, alertId],
      [IncidentSourceKind.INCIDENT_SOURCE_KIND_CITIZEN_REPORT, randomUUID()],
      [IncidentSourceKind.INCIDENT_SOURCE_KIND_PLATE_MATCH, randomUUID()],
    ]);
    const eventId = publish(change);
    expect(await world.bus.whenIdle(10_000)).toBe(true);
    expect(await cameraCount(camera.id)).toEqual({
      cameraId: camera.id,
      regionCode: 'ALA',
      falsePositives: 2,
      plate: 1,
      face: 0,
      behaviour: 1,
    });
    // Redelivered, and published again under another event id: nothing more is counted.
    publish(change, eventId);
    publish(change);
    expect(await world.bus.whenIdle(10_000)).toBe(true);
    const { cameras, lists } = await counts();
    const ours = lists.filter((l: { watchlistId: string }) => [hotlistA, hotlistB].includes(l.watchlistId));
    expect(ours).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ watchlistId: hotlistA, falsePositives: 1, kind: 'plate' }),
        expect.objectContaining({ watchlistId: hotlistB, falsePositives: 1, kind: 'plate' }),
      ]),
    );
    expect(ours).toHaveLength(2);
    expect((await cameraCount(camera.id)).falsePositives).toBe(2);
    expect(cameras.map((c: { cameraId: string }) => c.cameraId)).not.toContain(quietCamera.id);
  });

  it('ignores dismissals for other reasons and incidents still open, and shows counts to their region only', async () => {
    const { camera, plateMatchId, alertId } = await scene();
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
    expect(await world.bus.whenIdle(10_000)).toBe(true);
    expect(await cameraCount(camera.id)).toBeUndefined();
    // The same sources dismissed as a false alarm afterwards are counted: the consumer was live.
    publish(
      dismissal(Resolution.RESOLUTION_FALSE_ALARM, [
        [IncidentSourceKind.INCIDENT_SOURCE_KIND_BEHAVIOUR_ALERT, alertId],
      ]),
    );
    expect(await world.bus.whenIdle(10_000)).toBe(true);
    expect(await cameraCount(camera.id)).toMatchObject({ falsePositives: 1, plate: 0, behaviour: 1 });
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
    const { camera, plateMatchId } = await scene();
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
    expect(await world.bus.whenIdle(10_000)).toBe(true);
    expect(dead).toContain(id);
    expect(await cameraCount(camera.id)).toMatchObject({ falsePositives: 1, plate: 1 });
  });
});
