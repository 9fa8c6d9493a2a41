import { randomUUID } from 'node:crypto';
import { cameras, incidents as contract, recognition, Topics } from '@safecity/contracts';
import type { ConsumedRecord } from '@safecity/messaging';
import { getDataSourceToken } from '@nestjs/typeorm';
import { RegionAccess, RegionScope } from '@safecity/security';
import { eventually } from '@safecity/testing';
import request from 'supertest';
import type { DataSource, EntityManager } from 'typeorm';
import { Correlator } from '../src/correlation/correlator';
import { plateSignal } from '../src/correlation/signals';
import { INCIDENTS_SCHEMA } from '../src/schema';
import { behaviourAlert, cameraChanged, faceMatched, plateMatched } from './fixtures';
import { createdFromNow, EventTypes, startInProcessIncidents, type InProcessIncidents } from './harness';

describe('incidents from matches, alerts and outages', () => {
  let env: InProcessIncidents;
  let operator: string;
  const published: ConsumedRecord[] = [];

  beforeAll(async () => {
    env = await startInProcessIncidents('inccorr');
    env.bus.subscribe('test-observer', [Topics.Incidents], async (r) => void published.push(r));
    operator = await env.identity.bearer('operator', ['ALA'], 'op-1');
  }, 60_000);

  afterAll(() => env?.close(), 30_000);

  const api = () => request(env.service.httpUrl);
  const list = async (query: string) =>
    (await api().get(`/incidents?${query}`).set('authorization', operator).expect(200)).body.items as {
      id: string;
      title: string;
      priority: string;
      sourceKind: string;
    }[];
  const detail = async (id: string) =>
    (await api().get(`/incidents/${id}`).set('authorization', operator).expect(200)).body;
  const idle = () => env.bus.whenIdle(10_000);

  it('joins hits on one plate across cameras into one incident with a trajectory', async () => {
    const school = randomUUID();
    const street = randomUUID();
    env.publish(
      EventTypes.CameraRegistered,
      school,
      cameraChanged(school, { tags: ['school'], location: { lat: 43.2, lon: 76.9 } }),
    );
    env.publish(
      EventTypes.CameraRegistered,
      street,
      cameraChanged(street, { location: { lat: 43.3, lon: 76.95 } }),
    );
    await idle();
    const t0 = Date.now() - 60_000;
    env.publish(
      EventTypes.PlateMatched,
      'k1',
      plateMatched({ plate: '777TRJ02', cameraId: street, observedAt: new Date(t0 + 20_000) }),
    );
    env.publish(
      EventTypes.PlateMatched,
      'k2',
      plateMatched({ plate: '777TRJ02', cameraId: school, observedAt: new Date(t0) }),
    );
    await idle();
    const found = (await list('sourceKind=plate-match')).filter((i) => i.title.includes('777TRJ02'));
    expect(found).toHaveLength(1);
    const incident = await detail(found[0].id);
    expect(incident.sourceCount).toBe(2);
    // Ordered by when the vehicle was seen: the trajectory.
    expect(incident.sources.map((s: { cameraId: string }) => s.cameraId)).toEqual([school, street]);
    // Stolen vehicle (medium), raised at a school.
    expect(incident.priority).toBe('high');
    expect(incident.verification).toEqual({ requiredConfirmations: 1, visualCheckRequired: true });
  });

  it('ranks a plate hit by the priority of the hotlist entry it matched', async () => {
    env.publish(
      EventTypes.PlateMatched,
      'p1',
      plateMatched({
        plate: '404PRI02',
        reason: recognition.HotlistReason.HOTLIST_REASON_OTHER,
        priority: contract.IncidentPriority.INCIDENT_PRIORITY_CRITICAL,
        matchKind: recognition.PlateMatchKind.PLATE_MATCH_KIND_CONFUSABLE,
      }),
    );
    env.publish(
      EventTypes.PlateMatched,
      'p2',
      plateMatched({ plate: '405PRI02', reason: recognition.HotlistReason.HOTLIST_REASON_OTHER }),
    );
    await idle();
    const plates = await list('sourceKind=plate-match');
    const listed = plates.find((i) => i.title.includes('404PRI02'));
    const byReason = plates.find((i) => i.title.includes('405PRI02'));
    expect(listed?.priority).toBe('critical');
    // Without an entry priority, the reason "other" is worth low, below a wanted vehicle's medium.
    expect(byReason?.priority).toBe('medium');
    const incident = await detail(listed!.id);
    expect(incident.sources[0].details).toMatchObject({ matchKind: 'confusable', entryPriority: 4 });
  });

  it('opens a theft incident when an object is taken from a watched area', async () => {
    const since = createdFromNow();
    env.publish(
      EventTypes.BehaviourAlertRaised,
      'removed',
      behaviourAlert({
        type: recognition.BehaviourType.BEHAVIOUR_TYPE_OBJECT_REMOVED,
        location: { lat: 43.4, lon: 76.7 },
      }),
    );
    await idle();
    const thefts = await list(`category=theft&${since}`);
    expect(thefts).toHaveLength(1);
    expect(thefts[0].sourceKind).toBe('behaviour-alert');
  });

  it('never adds a second incident or evidence row for a redelivered or re-sent match', async () => {
    const match = plateMatched({ plate: '555DUP02' });
    const eventId = env.publish(EventTypes.PlateMatched, 'k', match);
    env.publish(EventTypes.PlateMatched, 'k', match, eventId);
    env.publish(EventTypes.PlateMatched, 'k', match);
    await idle();
    const found = (await list('sourceKind=plate-match')).filter((i) => i.title.includes('555DUP02'));
    expect(found).toHaveLength(1);
    expect((await detail(found[0].id)).sources).toHaveLength(1);
  });

  it('opens a new incident once the correlation window has passed', async () => {
    env.publish(
      EventTypes.PlateMatched,
      'k',
      plateMatched({ plate: '888WIN02', observedAt: new Date(Date.now() - 3 * 3600_000) }),
    );
    await idle();
    env.publish(EventTypes.PlateMatched, 'k', plateMatched({ plate: '888WIN02' }));
    await idle();
    expect((await list('sourceKind=plate-match')).filter((i) => i.title.includes('888WIN02'))).toHaveLength(
      2,
    );
  });

  it('verifies a plate hit only with the visual check recorded', async () => {
    env.publish(EventTypes.PlateMatched, 'k', plateMatched({ plate: '111VIS02' }));
    await idle();
    const [incident] = (await list('sourceKind=plate-match')).filter((i) => i.title.includes('111VIS02'));
    const missing = await api()
      .post(`/incidents/${incident.id}/transitions`)
      .set('authorization', operator)
      .send({ to: 'verified', visualCheck: { plate: '111VIS02', make: '', colour: '' } })
      .expect(422);
    expect(missing.body.problems[0].field).toBe('visualCheck');
    await api()
      .post(`/incidents/${incident.id}/transitions`)
      .set('authorization', operator)
      .send({ to: 'verified', visualCheck: { plate: '111VIS02', make: 'Toyota', colour: 'white' } })
      .expect(200);
    expect((await detail(incident.id)).confirmations[0]).toMatchObject({ actor: 'op-1', make: 'Toyota' });
  });

  it('refuses to verify a plate hit with a visual check of another plate, and still lets it be dismissed', async () => {
    env.publish(EventTypes.PlateMatched, 'k', plateMatched({ plate: '700KZZ02' }));
    await idle();
    const [incident] = (await list('sourceKind=plate-match')).filter((i) => i.title.includes('700KZZ02'));
    const move = (body: object) =>
      api().post(`/incidents/${incident.id}/transitions`).set('authorization', operator).send(body);
    const contradicted = await move({
      to: 'verified',
      visualCheck: { plate: '999XYZ77', make: 'Lada', colour: 'red' },
    }).expect(422);
    expect(contradicted.body.problems).toEqual([
      { field: 'visualCheck.plate', reason: expect.stringMatching(/is not the hotlisted plate 700KZZ02/) },
    ]);
    await move({ to: 'verified', visualCheck: { plate: 'no plate!', make: 'Toyota', colour: 'white' } })
      .expect(422)
      .expect((r) => expect(r.body.problems[0].field).toBe('visualCheck.plate'));
    const after = await detail(incident.id);
    expect(after).toMatchObject({ state: 'new', confirmations: [] });
    const dismissed = await move({ to: 'dismissed', reason: 'another car; the camera misread the plate' });
    expect(dismissed.status).toBe(200);
    expect(dismissed.body.incident.state).toBe('dismissed');
  });

  it('takes the listed plate as seen in any spelling the matcher folds, never the one-edit reading', async () => {
    // The camera read one character wrong; the hotlist has 701KZZ02.
    env.publish(
      EventTypes.PlateMatched,
      'k',
      plateMatched({
        plate: '701KZZ03',
        listedPlate: '701KZZ02',
        matchKind: recognition.PlateMatchKind.PLATE_MATCH_KIND_ONE_EDIT,
      }),
    );
    await idle();
    const [incident] = (await list('sourceKind=plate-match')).filter((i) => i.title.includes('701KZZ03'));
    const verify = (plate: string) =>
      api()
        .post(`/incidents/${incident.id}/transitions`)
        .set('authorization', operator)
        .send({ to: 'verified', visualCheck: { plate, make: 'toyota ', colour: 'White' } });
    // What the camera read is not what is listed: the car seen is another one.
    await verify('701KZZ03').expect(422);
    // Cyrillic letters, separators and O for 0 are the same plate.
    await verify('7О1 КZZ-O2').expect(200);
    expect((await detail(incident.id)).confirmations[0]).toMatchObject({ vehicleMismatch: [] });
  });

  it('verifies a plate hit on another vehicle than the camera read only with a reason, and records the difference', async () => {
    env.publish(EventTypes.PlateMatched, 'k', plateMatched({ plate: '702KZZ02' }));
    await idle();
    const [incident] = (await list('sourceKind=plate-match')).filter((i) => i.title.includes('702KZZ02'));
    const check = { plate: '702KZZ02', make: 'Lada', colour: 'red' };
    const move = (body: object) =>
      api().post(`/incidents/${incident.id}/transitions`).set('authorization', operator).send(body);
    const unexplained = await move({ to: 'verified', visualCheck: check }).expect(422);
    expect(unexplained.body.problems).toEqual([
      { field: 'reason', reason: expect.stringMatching(/make "Lada", colour "red".*Toyota.*white/) },
    ]);
    await move({ to: 'verified', visualCheck: check, reason: 'listed plates on a red Lada' }).expect(200);
    const verified = await detail(incident.id);
    expect(verified.state).toBe('verified');
    expect(verified.confirmations[0]).toMatchObject({
      plate: '702KZZ02',
      make: 'Lada',
      colour: 'red',
      vehicleMismatch: ['make', 'colour'],
      comment: 'listed plates on a red Lada',
    });
    const auditor = await env.identity.bearer('auditor', 'all', 'auditor-1');
    const trail = (
      await api()
        .get(`/audit-log?objectType=incident&objectId=${incident.id}`)
        .set('authorization', auditor)
        .expect(200)
    ).body.items as { details: Record<string, unknown> }[];
    expect(trail.find((r) => r.details['to'] === 'verified')?.details).toMatchObject({
      vehicleMismatch: ['make', 'colour'],
    });
  });

  it('confirms a face-match incident only through its match in recognition: without recognition, 503 and nothing recorded', async () => {
    const since = createdFromNow();
    env.publish(EventTypes.FaceMatched, 'k', faceMatched({}));
    await idle();
    const [face] = await list(`sourceKind=face-match&${since}`);
    const refused = await api()
      .post(`/incidents/${face!.id}/transitions`)
      .set('authorization', operator)
      .send({ to: 'verified' })
      .expect(503);
    expect(refused.body.message).toMatch(/confirmed in recognition/);
    const after = await detail(face!.id);
    expect(after).toMatchObject({ state: 'new', confirmations: [] });
  });

  it('follows recognition’s confirmations of a face match: each listed on its incident, verified once two people confirmed it', async () => {
    const since = createdFromNow();
    const match = faceMatched({});
    const matchId = match.match!.id;
    env.publish(EventTypes.FaceMatched, matchId, match);
    await idle();
    const [face] = await list(`sourceKind=face-match&${since}`);
    const verdict = (by: string, status: recognition.MatchStatus, confirmations: number) =>
      env.publish(
        EventTypes.MatchStatusChanged,
        matchId,
        recognition.MatchStatusChanged.fromPartial({
          matchId,
          kind: recognition.MatchKind.MATCH_KIND_FACE,
          regionCode: 'ALA',
          status,
          verification: {
            actor: { kind: 1, id: by },
            verdict: recognition.VerificationVerdict.VERIFICATION_VERDICT_CONFIRMED,
            verifiedAt: new Date(),
          },
          confirmations,
          requiredConfirmations: 2,
          changedAt: new Date(),
        }),
      );
    verdict('op-7', recognition.MatchStatus.MATCH_STATUS_PARTIALLY_CONFIRMED, 1);
    await idle();
    const half = await detail(face!.id);
    expect(half.state).toBe('new');
    expect(half.confirmations.map((c: { actor: string }) => c.actor)).toEqual(['op-7']);
    verdict('op-8', recognition.MatchStatus.MATCH_STATUS_CONFIRMED, 2);
    await idle();
    const done = await detail(face!.id);
    expect(done.state).toBe('verified');
    expect(done.confirmations.map((c: { actor: string }) => c.actor)).toEqual(['op-7', 'op-8']);
    expect(done.history.at(-1)).toMatchObject({ from: 'new', to: 'verified', actor: 'service:incidents' });
    // Redelivered, the verdict changes nothing more.
    verdict('op-8', recognition.MatchStatus.MATCH_STATUS_CONFIRMED, 2);
    await idle();
    expect((await detail(face!.id)).history).toHaveLength(done.history.length);
  });

  it('audits the opening of every incident raised from a plate match, a face match, an alert or an outage', async () => {
    const since = createdFromNow();
    const plate = plateMatched({ plate: '808AUD02' });
    const face = faceMatched({});
    const alert = behaviourAlert({ type: recognition.BehaviourType.BEHAVIOUR_TYPE_FALL });
    const cameraId = randomUUID();
    env.publish(EventTypes.PlateMatched, plate.match!.id, plate);
    env.publish(EventTypes.FaceMatched, face.match!.id, face);
    env.publish(EventTypes.BehaviourAlertRaised, alert.alert!.id, alert);
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
    await idle();
    const opened = (
      await api()
        .get(`/incidents?${since}`)
        .set('authorization', await env.identity.bearer('supervisor', 'all'))
        .expect(200)
    ).body.items as { id: string; sourceKind: string }[];
    expect(opened.map((i) => i.sourceKind).sort()).toEqual([
      'behaviour-alert',
      'camera-status',
      'face-match',
      'plate-match',
    ]);
    const auditor = await env.identity.bearer('auditor', 'all');
    for (const incident of opened) {
      const records = (
        await api()
          .get(`/audit-log?objectType=incident&objectId=${incident.id}`)
          .set('authorization', auditor)
          .expect(200)
      ).body.items.filter((r: { action: string }) => r.action === 'create');
      expect(records).toEqual([
        expect.objectContaining({
          actorSubject: 'service:incidents',
          actorKind: 'service',
          regionCode: 'ALA',
          details: expect.objectContaining({ source: incident.sourceKind, sourceRefs: expect.any(Array) }),
        }),
      ]);
    }
  });

  it('audits the incidents one batch opens in one insert, under one lock', async () => {
    const correlator = env.service.app.get(Correlator);
    const dataSource = env.service.app.get<DataSource>(getDataSourceToken(INCIDENTS_SCHEMA));
    const signals = ['111BAT02', '222BAT02', '333BAT02'].map((plate) =>
      plateSignal(plateMatched({ plate }).match),
    );
    const outcome = await env.service.app
      .get(RegionAccess)
      .run(RegionScope.allRegions(), (m) => correlator.ingest(m, signals));
    expect(outcome.created).toBe(3);
    const rows = (await dataSource.query(
      `SELECT seq::int AS seq, recorded_at AS "recordedAt" FROM incidents.audit_log
        WHERE action = 'create' AND object_type = 'incident' AND object_id = ANY($1::text[]) ORDER BY seq`,
      [[...outcome.placed.values()]],
    )) as { seq: number; recordedAt: Date }[];
    expect(rows).toHaveLength(3);
    // Consecutive records with one clock reading: written together, not one by one.
    expect(rows.map((r) => r.seq - rows[0]!.seq)).toEqual([0, 1, 2]);
    expect(new Set(rows.map((r) => new Date(r.recordedAt).getTime())).size).toBe(1);
  });

  it('joins behaviour alerts of one type near one place, not far away', async () => {
    const type = 6; // abandoned object
    const since = createdFromNow();
    env.publish(
      EventTypes.BehaviourAlertRaised,
      'c',
      behaviourAlert({ type, location: { lat: 43.0, lon: 77.0 } }),
    );
    env.publish(
      EventTypes.BehaviourAlertRaised,
      'c',
      behaviourAlert({ type, location: { lat: 43.0005, lon: 77.0 } }),
    );
    env.publish(
      EventTypes.BehaviourAlertRaised,
      'c',
      behaviourAlert({ type, location: { lat: 43.1, lon: 77.0 } }),
    );
    await idle();
    const found = await list(`category=suspicious-object&${since}`);
    expect(found).toHaveLength(2);
  });

  it('opens a technical incident when a camera goes offline and adds its return to it', async () => {
    const cameraId = randomUUID();
    const since = createdFromNow();
    const change = (status: cameras.CameraStatus, at: number) =>
      cameras.CameraStatusChanged.fromPartial({
        cameraId,
        regionCode: 'ALA',
        status,
        changedAt: new Date(at),
      });
    env.publish(
      EventTypes.CameraStatusChanged,
      cameraId,
      change(cameras.CameraStatus.CAMERA_STATUS_OFFLINE, Date.now() - 1000),
    );
    await idle();
    env.publish(
      EventTypes.CameraStatusChanged,
      cameraId,
      change(cameras.CameraStatus.CAMERA_STATUS_ONLINE, Date.now()),
    );
    await idle();
    const technical = await list(`sourceKind=camera-status&${since}`);
    expect(technical).toHaveLength(1);
    const incident = await detail(technical[0].id);
    expect(incident).toMatchObject({ category: 'infrastructure', priority: 'low' });
    expect(incident.sources.map((s: { details: { status: string } }) => s.details.status)).toEqual([
      'offline',
      'online',
    ]);
  });

  it('publishes a dismissal with the match ids, cameras and watchlists recognition counts false positives by', async () => {
    const cameraId = randomUUID();
    const match = plateMatched({ plate: '999FPX02', cameraId, hotlistId: 'hotlist-fp' });
    env.publish(EventTypes.PlateMatched, 'k', match);
    await idle();
    const [incident] = (await list('sourceKind=plate-match')).filter((i) => i.title.includes('999FPX02'));
    await api()
      .post(`/incidents/${incident.id}/transitions`)
      .set('authorization', operator)
      .send({ to: 'dismissed', reason: 'plate misread', resolution: 'false-alarm' })
      .expect(200);
    const dismissal = await eventually(() =>
      published
        .filter((r) => r.headers['ce_type'] === EventTypes.IncidentStateChanged)
        .map((r) => contract.IncidentChanged.decode(r.value))
        .find((e) => e.incident?.id === incident.id),
    );
    expect(dismissal.incident!.state).toBe(contract.IncidentState.INCIDENT_STATE_DISMISSED);
    expect(dismissal.incident!.resolution).toBe(contract.Resolution.RESOLUTION_FALSE_ALARM);
    expect(dismissal.incident!.sources[0]).toMatchObject({
      kind: contract.IncidentSourceKind.INCIDENT_SOURCE_KIND_PLATE_MATCH,
      refId: match.match!.id,
      cameraId,
      watchlistId: 'hotlist-fp',
    });
  });

  it('shows recognition’s verdict on a match on its source, without moving the incident', async () => {
    const match = plateMatched({ plate: '321MSC02' });
    env.publish(EventTypes.PlateMatched, match.match!.id, match);
    env.publish(
      EventTypes.MatchStatusChanged,
      match.match!.id,
      recognition.MatchStatusChanged.fromPartial({
        matchId: match.match!.id,
        kind: recognition.MatchKind.MATCH_KIND_PLATE,
        regionCode: 'ALA',
        status: recognition.MatchStatus.MATCH_STATUS_CONFIRMED,
        previousStatus: recognition.MatchStatus.MATCH_STATUS_PENDING_VERIFICATION,
        confirmations: 1,
        requiredConfirmations: 1,
        changedAt: new Date(),
      }),
    );
    await idle();
    const [incident] = (await list('sourceKind=plate-match')).filter((i) => i.title.includes('321MSC02'));
    const found = await detail(incident.id);
    expect(found.state).toBe('new');
    expect(found.sources[0].details).toMatchObject({ matchStatus: 'confirmed', confirmations: 1 });
  });

  it('dead-letters a malformed match without losing the good ones beside it', async () => {
    const badId = env.publish(
      EventTypes.PlateMatched,
      'bad',
      plateMatched({ plate: '000BAD02', regionCode: 'not a region' }),
    );
    env.publish(EventTypes.PlateMatched, 'good', plateMatched({ plate: '000GUD02' }));
    await idle();
    await eventually(() => env.bus.read(`${Topics.Matches}.dlq`).some((r) => r.headers['ce_id'] === badId), {
      message: 'dead letter',
    });
    expect((await list('sourceKind=plate-match')).filter((i) => i.title.includes('000GUD02'))).toHaveLength(
      1,
    );
  });

  it('joins a batch that waited for another batch of the same plate to the incident that one opened', async () => {
    const correlator = env.service.app.get(Correlator);
    const dataSource = env.service.app.get<DataSource>(getDataSourceToken(INCIDENTS_SCHEMA));
    const scoped = <T>(work: (m: EntityManager) => Promise<T>) =>
      env.service.app.get(RegionAccess).run(RegionScope.allRegions(), work);
    const signal = (observedAt: Date) => plateSignal(plateMatched({ plate: '444RACE02', observedAt }).match);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let ingested!: () => void;
    const firstIngested = new Promise<void>((resolve) => (ingested = resolve));
    // The first batch keeps its transaction open after opening the incident...
    const first = scoped(async (m) => {
      const outcome = await correlator.ingest(m, [signal(new Date(Date.now() - 1_000))]);
      ingested();
      await held;
      return outcome;
    });
    await firstIngested;
    // ...so the second waits on the plate's lock, and reads only once the first has committed.
    const second = scoped((m) => correlator.ingest(m, [signal(new Date())]));
    await eventually(
      async () =>
        (
          (await dataSource.query(
            `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`,
          )) as { n: number }[]
        )[0].n > 0,
      { message: 'second batch waiting on the lock' },
    );
    release();
    const [a, b] = await Promise.all([first, second]);
    expect([a.created, b.created, b.joined]).toEqual([1, 0, 1]);
    expect([...b.placed.values()]).toEqual([...a.placed.values()]);
    const found = (await list('sourceKind=plate-match')).filter((i) => i.title.includes('444RACE02'));
    expect(found).toHaveLength(1);
    expect((await detail(found[0].id)).sources).toHaveLength(2);
  });
});
