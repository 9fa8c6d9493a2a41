import { EventTypes, prevention } from '@safecity/contracts';
import { CeHeader } from '@safecity/messaging';
import { verifyAuditChain } from '@safecity/security';
import { eventually } from '@safecity/testing';
import {
  personCase,
  placeCase,
  preventionRecords,
  startWorld,
  type Agent,
  type PreventionWorld,
} from './world';

describe('prevention cases and measures over REST', () => {
  let world: PreventionWorld;
  let officer: Agent;
  let socialWorker: Agent;

  beforeAll(async () => {
    world = await startWorld('prevcases');
    officer = world.as(await world.ids.bearer('prevention-officer', ['ALA'], 'officer-ala-1'));
    socialWorker = world.as(await world.ids.bearer('social-worker', ['ALA'], 'sw-ala-1'));
  }, 60_000);

  afterAll(async () => world?.close());

  it('opens a case about a person; the event carries a reference, never the person', async () => {
    const res = await officer
      .post('/cases')
      .send(
        personCase({
          riskAssessment: { factors: ['school-absence', 'runaway-history'], riskLevel: 'medium' },
        }),
      )
      .expect(201);
    expect(res.body).toMatchObject({
      number: expect.stringMatching(/^ALA-P-\d{4}-000001$/),
      status: 'open',
      riskLevel: 'medium',
      indicatedRiskLevel: 'medium',
      riskAssessedBy: 'officer-ala-1',
      agencies: ['district-police-inspector', 'education', 'social-services'],
      subject: { kind: 'person', name: 'Айгерим Нурланова', erased: false },
      reviewIntervalDays: 90,
    });
    const record = await eventually(() =>
      preventionRecords(world.bus).find(
        (r) => r.key === res.body.id && r.headers[CeHeader.Type] === EventTypes.PreventionCaseOpened,
      ),
    );
    expect(record.headers[CeHeader.Region]).toBe('ALA');
    const message = prevention.PreventionCaseChanged.decode(record.value);
    expect(message.preventionCase).toMatchObject({
      id: res.body.id,
      subject: {
        kind: prevention.SubjectKind.SUBJECT_KIND_PERSON,
        subjectRef: res.body.subject.id,
        address: '',
      },
      riskLevel: prevention.RiskLevel.RISK_LEVEL_MEDIUM,
    });
    const bytes = record.value.toString('utf8');
    for (const personal of ['Айгерим', 'Абая', '090417600123']) expect(bytes).not.toContain(personal);
  });

  it('publishes a place by its grid cell only: no address and no exact point on events', async () => {
    const { body: place } = await officer.post('/cases').send(placeCase()).expect(201);
    const record = await eventually(() =>
      preventionRecords(world.bus).find(
        (r) => r.key === place.id && r.headers[CeHeader.Type] === EventTypes.PreventionCaseOpened,
      ),
    );
    // 43.2331, 76.9512 lies in the 0.01° cell [43.23, 43.24) × [76.95, 76.96).
    expect(prevention.PreventionCaseChanged.decode(record.value).preventionCase?.subject).toMatchObject({
      kind: prevention.SubjectKind.SUBJECT_KIND_PLACE,
      address: '',
      location: { lat: 43.235, lon: 76.955 },
    });
    expect(record.value.toString('utf8')).not.toContain('Самал');
  });

  it("refuses to show a person's case without a purpose, and audits the read with it", async () => {
    const { body: opened } = await officer.post('/cases').send(personCase()).expect(201);
    const refused = await socialWorker.get(`/cases/${opened.id}`).expect(400);
    expect(refused.body.problems).toEqual([{ field: 'x-purpose', reason: expect.stringMatching(/purpose/) }]);
    // The purpose is free text about a person: never in the URL, where access logs keep it.
    await socialWorker.get(`/cases/${opened.id}`).query({ purpose: 'preparing a home visit' }).expect(400);
    const read = await socialWorker
      .get(`/cases/${opened.id}`)
      .set('x-purpose', 'preparing a home visit')
      .expect(200);
    expect(read.body.subject).toMatchObject({ name: 'Айгерим Нурланова', identifier: '090417600123' });
    const { rows } = await world.pg.query(
      `SELECT actor_subject, action, purpose, legal_basis, details FROM prevention.audit_log
       WHERE object_type = 'prevention-subject' AND object_id = $1 ORDER BY seq`,
      [opened.subject.id],
    );
    expect(rows).toEqual([
      expect.objectContaining({
        actor_subject: 'officer-ala-1',
        action: 'create',
        purpose: 'opening a prevention case',
      }),
      expect.objectContaining({
        actor_subject: 'sw-ala-1',
        action: 'read',
        purpose: 'preparing a home visit',
        legal_basis: 'Law on Prevention of Offences, art. 21',
        details: { caseId: opened.id },
      }),
    ]);
    // A place is not personal data: no purpose needed.
    const { body: place } = await officer.post('/cases').send(placeCase()).expect(201);
    expect((await officer.get(`/cases/${place.id}`).expect(200)).body.subject.address).toBe(
      'мкр Самал-2, 58',
    );
    // Lists show people by reference only.
    const list = await officer.get('/cases').query({ subjectKind: 'person' }).expect(200);
    expect(JSON.stringify(list.body)).not.toContain('Айгерим');
    expect(list.body.items[0].subject).toEqual({ id: expect.any(String), kind: 'person' });
  });

  it('opens a case about a known person without showing them unless a purpose is stated, and answers changes without free text about them', async () => {
    const { body: first } = await officer.post('/cases').send(personCase()).expect(201);
    const subjectId = first.subject.id as string;
    const known = { ...personCase(), subject: undefined, subjectId };
    const personal = ['Айгерим', '090417600123', '2009-04-17', 'Абая'];

    const quiet = await officer.post('/cases').send(known).expect(201);
    expect(quiet.body.subject).toEqual({ id: subjectId, kind: 'person', erased: false });
    for (const value of personal) expect(JSON.stringify(quiet.body)).not.toContain(value);

    const stated = await officer
      .post('/cases')
      .set('x-purpose', 'second case: school absence')
      .send(known)
      .expect(201);
    expect(stated.body.subject).toMatchObject({ name: 'Айгерим Нурланова', identifier: '090417600123' });
    const { rows } = await world.pg.query(
      `SELECT action, purpose, details FROM prevention.audit_log
        WHERE object_type = 'prevention-subject' AND object_id = $1 ORDER BY seq`,
      [subjectId],
    );
    // Created with the first case, read with the purpose; the quiet opening disclosed nothing.
    expect(rows.map((r: { action: string; purpose: string }) => [r.action, r.purpose])).toEqual([
      ['create', 'opening a prevention case'],
      ['read', 'second case: school absence'],
    ]);

    const id = quiet.body.id as string;
    const rationale = 'weapon handed in on 2 March by her brother';
    const assessed = await socialWorker
      .put(`/cases/${id}/risk-assessment`)
      .send({ factors: ['weapon-access', 'alcohol-abuse'], riskLevel: 'medium', rationale })
      .expect(200);
    expect(assessed.body).toMatchObject({ riskLevel: 'medium', riskRationale: null });
    expect(assessed.body.withheld).toEqual(['riskRationale', 'measures.description', 'measures.result']);
    const planned = await socialWorker
      .post(`/cases/${id}/measures`)
      .send({
        kind: 'preventive-talk',
        agencyCode: 'education',
        assigneeId: 'school-psych',
        dueAt: new Date(Date.now() + 86_400_000).toISOString(),
        description: 'talk with Aigerim and her mother',
      })
      .expect(201);
    expect(planned.body.measures[0]).toMatchObject({ kind: 'preventive-talk', description: null });
    for (const text of [rationale, 'Aigerim', ...personal])
      expect(JSON.stringify(planned.body)).not.toContain(text);

    // With a purpose the change answers in full, and the read is audited with it.
    const reviewed = await socialWorker
      .post(`/cases/${id}/reviews`)
      .set('x-purpose', 'preparing the review meeting')
      .send({ conclusion: 'talk held; keep monitoring' })
      .expect(201);
    expect(reviewed.body).toMatchObject({ riskRationale: rationale, subject: { name: 'Айгерим Нурланова' } });
    expect(reviewed.body.measures[0].description).toBe('talk with Aigerim and her mother');
    expect(reviewed.body.withheld).toBeUndefined();
  });

  it('lets a professional set the risk level from catalogue factors, with a rationale when departing from them', async () => {
    const { body: c } = await officer.post('/cases').send(personCase()).expect(201);
    const inactive = await officer.post(`/cases/${c.id}/status`).send({ status: 'active' }).expect(422);
    expect(inactive.body.problems[0]).toMatchObject({
      field: 'status',
      reason: expect.stringMatching(/risk level/),
    });
    const noRationale = await socialWorker
      .put(`/cases/${c.id}/risk-assessment`)
      .send({ factors: ['weapon-access', 'alcohol-abuse'], riskLevel: 'medium' })
      .expect(422);
    expect(noRationale.body.problems[0].field).toBe('riskAssessment.rationale');
    await socialWorker
      .put(`/cases/${c.id}/risk-assessment`)
      .send({ factors: ['made-up'], riskLevel: 'low' })
      .expect(422);
    const assessed = await socialWorker
      .put(`/cases/${c.id}/risk-assessment`)
      .send({
        factors: ['weapon-access', 'alcohol-abuse'],
        riskLevel: 'medium',
        rationale: 'weapon handed in on 2 March',
      })
      .expect(200);
    expect(assessed.body).toMatchObject({
      riskLevel: 'medium',
      indicatedRiskLevel: 'high',
      riskAssessedBy: 'sw-ala-1',
    });
    expect(assessed.body.riskFactors.map((f: { code: string }) => f.code)).toEqual([
      'alcohol-abuse',
      'weapon-access',
    ]);
    // Events keep the level only: the factors would stay on the topic after the person is erased.
    const updates = await eventually(() => {
      const found = preventionRecords(world.bus).filter(
        (r) => r.key === c.id && r.headers[CeHeader.Type] === EventTypes.PreventionCaseUpdated,
      );
      return found.length > 0 ? found : undefined;
    });
    const last = prevention.PreventionCaseChanged.decode(updates[updates.length - 1].value).preventionCase!;
    expect(last.riskLevel).toBe(prevention.RiskLevel.RISK_LEVEL_MEDIUM);
    expect(last.riskFactors).toEqual([]);
    for (const r of updates) {
      for (const code of ['weapon-access', 'alcohol-abuse'])
        expect(r.value.toString('utf8')).not.toContain(code);
    }
  });

  it('takes a purpose in another language, percent-encoded, and audits it as written', async () => {
    const { body: opened } = await officer.post('/cases').send(personCase()).expect(201);
    await socialWorker
      .get(`/cases/${opened.id}/timeline`)
      .set('x-purpose', encodeURIComponent('подготовка к визиту на дом'))
      .expect(200);
    await socialWorker.get(`/cases/${opened.id}/timeline`).set('x-purpose', '100%').expect(400);
    const { rows } = await world.pg.query(
      `SELECT purpose FROM prevention.audit_log
       WHERE object_type = 'prevention-subject' AND object_id = $1 AND action = 'read'`,
      [opened.subject.id],
    );
    expect(rows).toEqual([{ purpose: 'подготовка к визиту на дом' }]);
  });

  it('walks open → active → monitoring → closed with an outcome, never back from closed', async () => {
    const { body: c } = await officer
      .post('/cases')
      .send(personCase({ riskAssessment: { factors: ['drug-use'], riskLevel: 'medium' } }))
      .expect(201);
    await officer.post(`/cases/${c.id}/status`).send({ status: 'monitoring' }).expect(422);
    await officer.post(`/cases/${c.id}/status`).send({ status: 'active' }).expect(200);
    await officer.post(`/cases/${c.id}/status`).send({ status: 'monitoring' }).expect(200);
    const noOutcome = await officer.post(`/cases/${c.id}/status`).send({ status: 'closed' }).expect(422);
    expect(noOutcome.body.problems[0].field).toBe('outcome');
    const closed = await officer
      .post(`/cases/${c.id}/status`)
      .send({ status: 'closed', outcome: 'risk-resolved' })
      .expect(200);
    expect(closed.body).toMatchObject({
      status: 'closed',
      outcome: 'risk-resolved',
      closedAt: expect.any(String),
    });
    await officer.post(`/cases/${c.id}/status`).send({ status: 'active' }).expect(422);
    await socialWorker.post(`/cases/${c.id}/status`).send({ status: 'active' }).expect(403);
    const types = preventionRecords(world.bus)
      .filter((r) => r.key === c.id)
      .map((r) => r.headers[CeHeader.Type]);
    await eventually(
      () =>
        preventionRecords(world.bus).filter(
          (r) => r.key === c.id && r.headers[CeHeader.Type] === EventTypes.PreventionCaseStatusChanged,
        ).length === 3,
    );
    expect(types[0]).toBe(EventTypes.PreventionCaseOpened);
  });

  it('flags and counts overdue measures, and records results', async () => {
    const { body: c } = await officer.post('/cases').send(placeCase()).expect(201);
    const past = new Date(Date.now() - 3 * 86_400_000).toISOString();
    const future = new Date(Date.now() + 7 * 86_400_000).toISOString();
    await officer
      .post(`/cases/${c.id}/measures`)
      .send({ kind: 'place-fix-lighting', agencyCode: 'akimat', assigneeId: 'akimat-works-7', dueAt: past })
      .expect(201);
    const withTwo = await socialWorker
      .post(`/cases/${c.id}/measures`)
      .send({ kind: 'community-meeting', agencyCode: 'police', assigneeId: 'officer-ala-2', dueAt: future })
      .expect(201);
    expect(withTwo.body.overdueMeasures).toBe(1);
    const lighting = withTwo.body.measures.find((m: { kind: string }) => m.kind === 'place-fix-lighting');
    expect(lighting.overdue).toBe(true);
    const overdue = await officer.get('/measures/overdue').query({ regionCode: 'ALA' }).expect(200);
    expect(overdue.body.items.map((m: { id: string }) => m.id)).toContain(lighting.id);
    const before = overdue.body.count;

    const noResult = await officer
      .patch(`/cases/${c.id}/measures/${lighting.id}`)
      .send({ status: 'done' })
      .expect(422);
    expect(noResult.body.problems[0].field).toBe('result');
    const done = await officer
      .patch(`/cases/${c.id}/measures/${lighting.id}`)
      .send({ status: 'done', result: 'four lamps installed in the courtyard' })
      .expect(200);
    expect(done.body.overdueMeasures).toBe(0);
    expect(done.body.measures.find((m: { id: string }) => m.id === lighting.id)).toMatchObject({
      status: 'done',
      overdue: false,
      completedAt: expect.any(String),
    });
    expect((await officer.get('/measures/overdue').expect(200)).body.count).toBe(before - 1);
    await officer.patch(`/cases/${c.id}/measures/${lighting.id}`).send({ status: 'in-progress' }).expect(422);
    const bad = await officer
      .post(`/cases/${c.id}/measures`)
      .send({ kind: 'séance', agencyCode: 'police', assigneeId: 'x', dueAt: 'tomorrow' })
      .expect(400);
    expect(bad.body.problems.map((p: { field: string }) => p.field).sort()).toEqual(['dueAt', 'kind']);
  });

  it('schedules periodic reviews and moves the next one on when a review is recorded', async () => {
    const { body: c } = await officer
      .post('/cases')
      .send(placeCase({ reviewIntervalDays: 30 }))
      .expect(201);
    expect(new Date(c.nextReviewAt).getTime() - new Date(c.openedAt).getTime()).toBeGreaterThan(
      29.9 * 86_400_000,
    );
    await world.pg.query(
      `UPDATE prevention.cases SET next_review_at = now() - interval '1 day' WHERE id = $1`,
      [c.id],
    );
    const due = await officer.get('/reviews/due').expect(200);
    expect(due.body.items.map((r: { id: string }) => r.id)).toContain(c.id);
    const reviewed = await officer
      .post(`/cases/${c.id}/reviews`)
      .send({ conclusion: 'lighting fixed; calls down; keep monitoring' })
      .expect(201);
    expect(reviewed.body.reviewDue).toBe(false);
    expect(new Date(reviewed.body.nextReviewAt).getTime()).toBeGreaterThan(Date.now() + 29 * 86_400_000);
    const timeline = await officer.get(`/cases/${c.id}/timeline`).expect(200);
    expect(timeline.body.map((e: { kind: string }) => e.kind)).toEqual(['opened', 'reviewed']);
  });

  it('keeps cases within the caller’s regions, in queries and under row-level security alone', async () => {
    const { body: c } = await officer.post('/cases').send(placeCase()).expect(201);
    await officer
      .post(`/cases/${c.id}/measures`)
      .send({
        kind: 'place-fix-camera',
        agencyCode: 'akimat',
        assigneeId: 'akimat-it',
        dueAt: '2026-01-01T00:00:00Z',
        description: 'camera over the gate',
      })
      .expect(201);
    const overdue = (await officer.get('/measures/overdue').expect(200)).body;
    expect(overdue.items.find((m: { caseId: string }) => m.caseId === c.id)).not.toHaveProperty(
      'description',
    );
    const astOfficer = world.as(await world.ids.bearer('prevention-officer', ['AST']));
    await astOfficer.get(`/cases/${c.id}`).expect(404);
    await astOfficer.post(`/cases/${c.id}/status`).send({ status: 'closed', outcome: 'other' }).expect(404);
    expect((await astOfficer.get('/cases').expect(200)).body.items).toEqual([]);
    const outside = await astOfficer.post('/cases').send(placeCase()).expect(422);
    expect(outside.body.problems[0].field).toBe('regionCode');
    // Analysts work with figures, never with cases.
    await world
      .as(await world.ids.bearer('analyst', ['ALA']))
      .get('/cases')
      .expect(403);

    const rlsOnly = await startWorldRlsOnly(world);
    try {
      const ast = (await world.ids.bearer('prevention-officer', ['AST'])) as string;
      const agent = rlsOnly.as(ast);
      await agent.get(`/cases/${c.id}`).expect(404);
      expect((await agent.get('/cases').expect(200)).body.items).toEqual([]);
      expect((await agent.get('/measures/overdue').expect(200)).body.count).toBe(0);
      expect((await agent.get('/reviews/due').expect(200)).body.count).toBe(0);
      await agent.get(`/cases/${c.id}/timeline`).expect(404);
      const ala = rlsOnly.as(await world.ids.bearer('prevention-officer', ['ALA']));
      expect((await ala.get('/cases').expect(200)).body.items.length).toBeGreaterThan(0);
      expect((await ala.get('/measures/overdue').expect(200)).body.count).toBeGreaterThan(0);
    } finally {
      await rlsOnly.close();
    }
  });

  it('keeps an audit chain that verifies', async () => {
    expect(await verifyAuditChain(world.db.url, 'prevention')).toMatchObject({ ok: true });
  });
});

/** A second instance on the same database with the region filter taken out of its queries. */
async function startWorldRlsOnly(world: PreventionWorld) {
  const { startPrevention } = await import('../src/bootstrap');
  const { freeLoopbackPort } = await import('@safecity/persistence');
  const request = (await import('supertest')).default;
  const service = await startPrevention({
    databaseUrl: world.db.url,
    transport: { kind: 'in-process', bus: world.bus },
    http: { port: 0 },
    grpcUrl: `127.0.0.1:${await freeLoopbackPort()}`,
    identity: world.ids.identity,
    runMigrations: false,
    regionFilterInQueries: false,
  });
  return {
    as: (bearer: string) => request.agent(service.httpUrl).set('authorization', bearer),
    close: () => service.close(),
  };
}
