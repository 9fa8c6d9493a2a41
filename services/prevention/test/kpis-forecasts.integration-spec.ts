import { eventually } from '@safecity/testing';
import { RegionAccess, SERVICE_SCOPE } from '@safecity/security';
import { PlaceHistoryRepository } from '../src/forecasts/place-history.repository';
import { incidentRecord, PUBLIC_ORDER } from './incidents';
import { personCase, placeCase, startWorld, type Agent, type PreventionWorld } from './world';

/*
 * Hand-computed fixture, March 2026 = [2026-03-01, 2026-04-01) UTC, region ALA, UTC+5 weeks.
 *
 * Case A: place "ул. Жибек Жолы 50", district D1, opened 03-03; measure created 03-05, due 03-10,
 *   done 03-09 (on time).
 * Case B: person, district D2, opened 02-01, closed 03-20 with outcome risk-resolved.
 * Incidents (district D1): i1 Monday 03-02 10:00 local at another address (cell P1),
 *   i2 Monday 03-09 10:00 local at case A's address (cell P2) → linked to A.
 *
 *                        region      D1        D2
 * opened                 1 (A)       1         0
 * closed (outcome)       1 (B: resolved)  0    1
 * in progress at end     1 (A)       1         0
 * recurrence after closure  0 of 1 (no incident at B's address)
 * measures due / on time 1 / 1 → 1   1 / 1     0 / –
 * active in March        2 (A, B)    1         1
 * repeat incidents       1 (i2 on A) → cases with one 1, rate 1/2 = 0.5; D1 1/1 = 1; D2 0/1 = 0
 * days trigger→measure   A: 03-03 → 03-05 = 2
 * incidents              2           2         0
 *
 * Expected by the forecast for D1 (K = 8, decay 0.7), week W = the week of 03-02; D1 is first
 * seen in W, so only hour "Monday 10:00" of weeks W+1.. carries anything:
 *   W+1 (03-09): k=1 W:1                    → 1/1                           = 1
 *   W+2 (03-16): k=1 W+1:1, k=2 W:1         → (1 + 0.7)/(1 + 0.7)           = 1
 *   W+3 (03-23): 0, 0.7·1, 0.49·1           → 1.19/2.19                     = 0.543379
 *   W+4 (03-30): 0, 0, 0.49·1, 0.343·1      → 0.833/2.533                   = 0.328859
 *   total 2.872238 → incidents against forecast 2 / 2.872238 = 0.6963
 * (Smoothing across hours changes nothing here: every incident, hence the region's whole weekly
 * shape, is at Monday 10:00.)
 *
 * Forecast for Monday 03-16 10:00–11:00 local by grid cell (week W+2, history W and W+1):
 *   P2: k=1 W+1:1 → 1 / (1 + 0.7) = 0.588235 (p90: P(X≤1) = 0.882, P(X≤2) = 0.978 → 2), high
 *   P1: k=2 W:1   → 0.7 / 1.7     = 0.411765 (p90: P(X≤1) = 0.935 → 1), low
 */
describe('prevention KPIs and forecasts', () => {
  let world: PreventionWorld;
  let officer: Agent;
  let analyst: Agent;
  const P1 = { lat: 43.2615, lon: 76.9455 };
  const P2 = { lat: 43.2551, lon: 76.9312 };
  let caseA: { id: string; subject: { id: string } };
  let caseB: { id: string; subject: { id: string } };
  let incidentIds: string[];

  beforeAll(async () => {
    world = await startWorld('prevkpis');
    officer = world.as(await world.ids.bearer('prevention-officer', ['ALA']));
    analyst = world.as(await world.ids.bearer('analyst', ['ALA']));
    caseA = (
      await officer
        .post('/cases')
        .send(
          placeCase({
            districtCode: 'D1',
            subject: { kind: 'place', name: 'Arcade', address: 'ул. Жибек Жолы 50', location: P2 },
          }),
        )
        .expect(201)
    ).body;
    caseB = (
      await officer
        .post('/cases')
        .send(personCase({ districtCode: 'D2' }))
        .expect(201)
    ).body;
    const measure = (
      await officer
        .post(`/cases/${caseA.id}/measures`)
        .send({
          kind: 'place-fix-camera',
          agencyCode: 'akimat',
          assigneeId: 'akimat-it',
          dueAt: '2026-03-10T00:00:00Z',
        })
        .expect(201)
    ).body.measures[0];
    await officer
      .patch(`/cases/${caseA.id}/measures/${measure.id}`)
      .send({ status: 'done', result: 'camera installed', completedAt: '2026-03-09T00:00:00Z' })
      .expect(200);
    await officer
      .post(`/cases/${caseB.id}/status`)
      .send({ status: 'closed', outcome: 'risk-resolved' })
      .expect(200);
    // Back-date what the API stamps with the current time.
    await world.pg.query(`UPDATE prevention.cases SET opened_at = '2026-03-03T00:00:00Z' WHERE id = $1`, [
      caseA.id,
    ]);
    await world.pg.query(
      `UPDATE prevention.measures SET created_at = '2026-03-05T00:00:00Z' WHERE case_id = $1`,
      [caseA.id],
    );
    await world.pg.query(
      `UPDATE prevention.cases SET opened_at = '2026-02-01T00:00:00Z', closed_at = '2026-03-20T00:00:00Z' WHERE id = $1`,
      [caseB.id],
    );
    const i1 = incidentRecord({
      districtCode: 'D1',
      address: 'пр. Абылай хана 10',
      point: P1,
      occurredAt: new Date('2026-03-02T05:00:00Z'),
      category: PUBLIC_ORDER,
    });
    const i2 = incidentRecord({
      districtCode: 'D1',
      address: 'Жибек Жолы 50',
      point: P2,
      occurredAt: new Date('2026-03-09T05:00:00Z'),
      category: PUBLIC_ORDER,
    });
    incidentIds = [i1.incidentId, i2.incidentId];
    world.bus.publish([i1, i2]);
    await eventually(async () =>
      (await officer.get(`/cases/${caseA.id}`).expect(200)).body.linkedIncidentIds.includes(i2.incidentId),
    );
    // The two records may be applied in separate batches: i1 must be in as well before any figure.
    await eventually(
      async () =>
        (await world.pg.query(`SELECT 1 FROM prevention.incidents WHERE id = $1`, [i1.incidentId])).rowCount,
    );
  }, 60_000);

  afterAll(async () => world?.close());

  const period = { regionCode: 'ALA', from: '2026-03-01T00:00:00Z', to: '2026-04-01T00:00:00Z' };

  it('computes the KPIs of the region and each district as computed by hand', async () => {
    const { body } = await analyst.get('/kpis').query(period).expect(200);
    const [region, d1, d2] = body.items;
    expect(region).toMatchObject({
      regionCode: 'ALA',
      districtCode: null,
      casesOpened: 1,
      casesClosed: 1,
      casesInProgressAtEnd: 1,
      casesClosedWithRecurrence: 0,
      recurrenceRate: 0,
      measuresDue: 1,
      measuresDoneOnTime: 1,
      measuresOnTimeRate: 1,
      casesActive: 2,
      repeatIncidents: 1,
      casesWithRepeatIncident: 1,
      repeatRate: 0.5,
      medianDaysToFirstMeasure: 2,
      incidents: 2,
      incidentsExpected: 2.8722,
      incidentsVsForecast: 0.6963,
    });
    expect(region.casesClosedByOutcome['risk-resolved']).toBe(1);
    expect(d1).toMatchObject({
      districtCode: 'D1',
      casesOpened: 1,
      repeatRate: 1,
      incidents: 2,
      incidentsExpected: 2.8722,
    });
    expect(d2).toMatchObject({
      districtCode: 'D2',
      casesClosed: 1,
      casesActive: 1,
      repeatRate: 0,
      incidents: 0,
    });
    const one = await analyst
      .get('/kpis')
      .query({ ...period, districtCode: 'D2' })
      .expect(200);
    expect(one.body.items).toHaveLength(1);
  });

  it('exports the same figures as CSV', async () => {
    const res = await analyst.get('/kpis.csv').query(period).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const [header, region, d1, d2, end] = res.text.split('\r\n');
    const cols = header.split(',');
    const row = Object.fromEntries(region.split(',').map((v, i) => [cols[i], v]));
    expect(row).toMatchObject({
      regionCode: 'ALA',
      districtCode: '',
      casesOpened: '1',
      repeatRate: '0.5',
      incidentsVsForecast: '0.6963',
      'closed_risk-resolved': '1',
    });
    expect(d1.startsWith('ALA,D1,')).toBe(true);
    expect(d2.startsWith('ALA,D2,')).toBe(true);
    expect(end).toBe('');
  });

  it('validates the period and keeps to the caller’s regions', async () => {
    const bad = await analyst
      .get('/kpis')
      .query({ regionCode: 'ALA', from: 'March', to: '2026-04-01T00:00:00Z' })
      .expect(400);
    expect(bad.body.problems[0].field).toBe('from');
    await analyst
      .get('/kpis')
      .query({ ...period, to: '2026-02-01T00:00:00Z' })
      .expect(422);
    const ast = world.as(await world.ids.bearer('analyst', ['AST']));
    expect((await ast.get('/kpis').query(period).expect(422)).body.problems[0].field).toBe('regionCode');
    await world
      .as(await world.ids.bearer('social-worker', ['ALA']))
      .get('/kpis')
      .query(period)
      .expect(403);
  });

  it('serves the place-based forecast as GeoJSON, as computed by hand', async () => {
    const res = await analyst
      .get('/forecasts')
      .query({ regionCode: 'ALA', unit: 'grid', from: '2026-03-16T05:00:00Z', hours: 1 })
      .expect(200);
    expect(res.headers['content-type']).toMatch(/application\/geo\+json/);
    expect(res.body.type).toBe('FeatureCollection');
    expect(res.body.forecast).toMatchObject({
      regionCode: 'ALA',
      unit: 'grid',
      modelVersion: 'seasonal-baseline-v1',
    });
    expect(res.body.features.map((f: { properties: object }) => f.properties)).toEqual([
      {
        placeId: 'g0.01:4325:7693',
        unit: 'grid',
        expectedIncidents: 0.5882,
        expectedIncidentsP90: 2,
        riskLevel: 'high',
      },
      {
        placeId: 'g0.01:4326:7694',
        unit: 'grid',
        expectedIncidents: 0.4118,
        expectedIncidentsP90: 1,
        riskLevel: 'low',
      },
    ]);
    expect(res.body.features[0].geometry).toEqual({
      type: 'Polygon',
      coordinates: [
        [
          [76.93, 43.25],
          [76.94, 43.25],
          [76.94, 43.26],
          [76.93, 43.26],
          [76.93, 43.25],
        ],
      ],
    });
    const byDistrict = await analyst
      .get('/forecasts')
      .query({ regionCode: 'ALA', unit: 'district', from: '2026-03-16T05:00:00Z', hours: 1 })
      .expect(200);
    expect(byDistrict.body.features).toEqual([
      {
        type: 'Feature',
        id: 'D1',
        geometry: null,
        properties: {
          placeId: 'D1',
          unit: 'district',
          expectedIncidents: 1,
          expectedIncidentsP90: 2,
          riskLevel: 'high',
        },
      },
    ]);
    await analyst.get('/forecasts').query({ regionCode: 'ALA', hours: 500 }).expect(400);
  });

  it('carries no person data in the forecast’s inputs or outputs', async () => {
    const access = world.service.app.get(RegionAccess);
    const repo = world.service.app.get(PlaceHistoryRepository);
    const inputs = await access.run(SERVICE_SCOPE, (m) =>
      repo.placeEvents(m, {
        regionCode: 'ALA',
        from: new Date('2026-01-01'),
        to: new Date('2026-05-01'),
        unit: 'grid',
      }),
    );
    expect(inputs).toHaveLength(2);
    for (const input of inputs) expect(Object.keys(input).sort()).toEqual(['at', 'place']);

    const { text } = await analyst
      .get('/forecasts')
      .query({ regionCode: 'ALA', from: '2026-03-16T05:00:00Z', hours: 168 })
      .expect(200);
    const forbidden = [
      'Айгерим',
      '090417600123',
      'Абая',
      'Жибек',
      caseA.id,
      caseB.id,
      caseA.subject.id,
      caseB.subject.id,
      ...incidentIds,
      'subject',
      'person',
      'case',
    ];
    for (const value of forbidden) expect(text).not.toContain(value);
    const backtest = await analyst
      .get('/forecasts/backtest')
      .query({ regionCode: 'ALA', weeks: 4, asOf: '2026-03-16T12:00:00Z' })
      .expect(200);
    expect(JSON.stringify(backtest.body)).not.toMatch(/Жибек|Абая|Айгерим/);
  });

  it('backtests the weeks finished before the given moment, beside the last-week baseline', async () => {
    // A region of its own, so the figures are this test's alone. Mondays 10:00 local (UTC+5):
    // a place in the weeks of 2 and 9 June 2025, another only in the week of 9 June.
    const Q1 = { lat: 51.1605, lon: 71.4704 };
    const Q2 = { lat: 51.1282, lon: 71.4306 };
    const records = [
      incidentRecord({
        regionCode: 'AST',
        districtCode: 'AST-ESIL',
        point: Q1,
        occurredAt: new Date('2025-06-02T05:00:00Z'),
      }),
      incidentRecord({
        regionCode: 'AST',
        districtCode: 'AST-ESIL',
        point: Q1,
        occurredAt: new Date('2025-06-09T05:00:00Z'),
      }),
      incidentRecord({
        regionCode: 'AST',
        districtCode: 'AST-ESIL',
        point: Q2,
        occurredAt: new Date('2025-06-09T05:00:00Z'),
      }),
    ];
    world.bus.publish(records);
    await world.bus.whenIdle();
    const astana = world.as(await world.ids.bearer('analyst', ['AST']));
    const asOf = '2025-06-16T12:00:00Z';
    const { body } = await astana
      .get('/forecasts/backtest')
      .query({ regionCode: 'AST', weeks: 4, asOf })
      .expect(200);
    // Only the week of 9 June is scored: the week of 2 June has nothing before it, the week of
    // 16 June is not finished. Q1 alone was known before it: 168 (place, hour) pairs, 2 incidents.
    // 5% of 168 pairs allows 9 flagged, but only pairs scoring above zero are. Last week's Q1 had one incident, at Monday 10:00: the naive
    // baseline flags that one pair and hits Q1's incident; Q2 is new and cannot be hit.
    expect(body.weeks).toHaveLength(1);
    expect(body.weeks[0]).toMatchObject({ start: '2025-06-08T19:00:00.000Z', incidents: 2, pairs: 168 });
    expect(body.naive).toEqual({ hits: 1, flagged: 1, hitRate: 0.5, areaShare: 1 / 168, pai: 84 });
    // The seasonal baseline smooths with the region's weekly rhythm, which before 9 June is that
    // single Monday 10:00: it flags the same one pair, whatever the 9-pair allowance.
    expect(body.model).toEqual(body.naive);
    // A week later the incidents are all in the past: nothing left to score in the last four weeks
    // but the same week.
    const later = await astana
      .get('/forecasts/backtest')
      .query({ regionCode: 'AST', weeks: 4, asOf: '2025-06-23T12:00:00Z' })
      .expect(200);
    expect(later.body.weeks.map((w: { start: string }) => w.start)).toEqual(['2025-06-08T19:00:00.000Z']);
    const bad = await astana
      .get('/forecasts/backtest')
      .query({ regionCode: 'AST', asOf: 'last Monday' })
      .expect(400);
    expect(bad.body.problems).toEqual([{ field: 'asOf', reason: expect.stringMatching(/ISO 8601/) }]);
  });
});
