import { EventTypes, incidents, prevention, Topics } from '@safecity/contracts';
import { CeHeader } from '@safecity/messaging';
import { eventually } from '@safecity/testing';
import { incidentRecord, PUBLIC_ORDER } from './incidents';

const K = incidents.IncidentSourceKind;
const STATE = incidents.IncidentState;
import {
  personCase,
  placeCase,
  preventionRecords,
  startWorld,
  type Agent,
  type PreventionWorld,
} from './world';

const DAY = 86_400_000;

describe('triggers from incidents (in-process bus)', () => {
  let world: PreventionWorld;
  let officer: Agent;

  const publish = (...records: ReturnType<typeof incidentRecord>[]) => world.bus.publish(records);
  const countRows = async (table: string) =>
    Number((await world.pg.query(`SELECT count(*) FROM prevention.${table}`)).rows[0].count);
  const incidentStored = (id: string) =>
    eventually(
      async () =>
        (await world.pg.query('SELECT 1 FROM prevention.incidents WHERE id = $1', [id])).rowCount === 1,
      {
        message: `incident ${id} in the read model`,
      },
    );
  const triggersFired = () =>
    preventionRecords(world.bus)
      .filter((r) => r.headers[CeHeader.Type] === EventTypes.PreventionTriggerFired)
      .map((r) => prevention.PreventionTriggerFired.decode(r.value).trigger!);

  beforeAll(async () => {
    world = await startWorld('prevtriggers');
    officer = world.as(await world.ids.bearer('prevention-officer', ['ALA'], 'officer-ala-1'));
  }, 60_000);

  afterAll(async () => world?.close());

  it("adds an incident at a person's registered address to the case timeline and flags a review, once", async () => {
    const { body: c } = await officer.post('/cases').send(personCase()).expect(201);
    expect(c.reviewDue).toBe(false);
    // Another spelling of "ул. Абая, д. 10, кв. 5".
    const record = incidentRecord({ address: 'Улица Абая 10 квартира 5' });
    publish(record);
    const read = async () =>
      (await officer.get(`/cases/${c.id}`).set('x-purpose', 'checking new incidents').expect(200)).body;
    await eventually(async () => (await read()).linkedIncidentIds.includes(record.incidentId));
    // The case row and its links are read by separate statements: a read racing the trigger's
    // commit can see the link before the flag. Once the bus is idle both are in.
    await world.bus.whenIdle();
    const linked = await read();
    expect(linked.linkedIncidentIds).toEqual([record.incidentId]);
    expect(linked.reviewDue).toBe(true);
    expect(linked.reviewFlag.reason).toMatch(record.incidentId);
    const fired = await eventually(() => triggersFired().find((t) => t.caseId === c.id));
    expect(fired).toMatchObject({
      ruleId: 'incident-at-case-subject',
      incidentIds: [record.incidentId],
      regionCode: 'ALA',
    });

    // The same event again (a redelivery) and a later version of the incident change nothing more.
    publish(
      record,
      incidentRecord({ id: record.incidentId, address: 'Улица Абая 10 квартира 5', version: 2 }),
    );
    await world.bus.whenIdle();
    await eventually(
      async () =>
        (await world.pg.query('SELECT version FROM prevention.incidents WHERE id = $1', [record.incidentId]))
          .rows[0]?.version === '2',
    );
    await officer.get(`/cases/${c.id}/timeline`).expect(400);
    const timeline = (
      await officer.get(`/cases/${c.id}/timeline`).set('x-purpose', 'checking new incidents').expect(200)
    ).body;
    expect(timeline.filter((e: { kind: string }) => e.kind === 'incident')).toHaveLength(1);
    // Prevention keeps place and time of an incident, not its text.
    const { rows } = await world.pg.query('SELECT * FROM prevention.incidents WHERE id = $1', [
      record.incidentId,
    ]);
    expect(JSON.stringify(rows)).not.toMatch(/Serik|shouting/);

    // The officer's review clears the flag.
    const reviewed = await officer
      .post(`/cases/${c.id}/reviews`)
      .send({ conclusion: 'visited; mother informed' })
      .expect(201);
    expect(reviewed.body.reviewDue).toBe(false);
  });

  it('links no unverified machine match and flags no review for it; once a person verified it, it links', async () => {
    const address = `ул. Жандосова, д. ${Math.floor(Math.random() * 1e6)}, кв. 2`;
    const { body: c } = await officer
      .post('/cases')
      .send(personCase({ subject: { ...personCase().subject, address } }))
      .expect(201);
    const read = async () =>
      (await officer.get(`/cases/${c.id}`).set('x-purpose', 'checking new incidents').expect(200)).body;
    const plateHit = incidentRecord({ address, sources: [{ kind: K.INCIDENT_SOURCE_KIND_PLATE_MATCH }] });
    const alert = incidentRecord({ address, sources: [{ kind: K.INCIDENT_SOURCE_KIND_BEHAVIOUR_ALERT }] });
    const face = incidentRecord({ address, sources: [{ kind: K.INCIDENT_SOURCE_KIND_FACE_MATCH }] });
    // The first of two confirmations a face match needs changes the incident, not its state.
    const faceHalfConfirmed = incidentRecord({
      id: face.incidentId,
      address,
      version: 2,
      kind: incidents.IncidentChangeKind.INCIDENT_CHANGE_KIND_UPDATED,
      sources: [{ kind: K.INCIDENT_SOURCE_KIND_FACE_MATCH }],
    });
    publish(plateHit, alert, face, faceHalfConfirmed);
    await incidentStored(plateHit.incidentId);
    await incidentStored(alert.incidentId);
    await world.bus.whenIdle();
    const before = await read();
    expect(before.linkedIncidentIds).toEqual([]);
    expect(before.reviewDue).toBe(false);
    const unverified = [plateHit.incidentId, alert.incidentId, face.incidentId];
    expect(triggersFired().filter((t) => t.incidentIds.some((id) => unverified.includes(id)))).toEqual([]);

    // An operator verified the plate hit: the next event of it links it and flags the review.
    publish(
      incidentRecord({
        id: plateHit.incidentId,
        address,
        version: 2,
        state: STATE.INCIDENT_STATE_VERIFIED,
        kind: incidents.IncidentChangeKind.INCIDENT_CHANGE_KIND_STATE_CHANGED,
        sources: [{ kind: K.INCIDENT_SOURCE_KIND_PLATE_MATCH }],
      }),
    );
    await eventually(async () => (await read()).linkedIncidentIds.includes(plateHit.incidentId));
    await world.bus.whenIdle();
    const after = await read();
    expect(after.linkedIncidentIds).toEqual([plateHit.incidentId]);
    expect(after.reviewDue).toBe(true);
    expect(after.reviewFlag.reason).toMatch(plateHit.incidentId);
  });

  it('counts only incidents a person stands behind towards a suggestion', async () => {
    await officer.put('/trigger-settings/ALA').send({ repeatWindowDays: 90, repeatThreshold: 2 }).expect(200);
    const address = `ул. Гоголя, ${Math.floor(Math.random() * 1e6)}`;
    const pendingAt = async () =>
      (await officer.get('/suggestions').query({ status: 'pending' }).expect(200)).body.filter(
        (s: { address: string }) => s.address === address,
      );
    const now = Date.now();
    const daysAgo = [2, 1];
    const machine = daysAgo.map((days) =>
      incidentRecord({
        address,
        category: PUBLIC_ORDER,
        occurredAt: new Date(now - days * DAY),
        sources: [{ kind: K.INCIDENT_SOURCE_KIND_BEHAVIOUR_ALERT }],
      }),
    );
    // One after the other, as they happened: the second would complete a run of two.
    for (const record of machine) {
      publish(record);
      await incidentStored(record.incidentId);
    }
    await world.bus.whenIdle();
    expect(await pendingAt()).toEqual([]);
    publish(
      ...machine.map((record, i) =>
        incidentRecord({
          id: record.incidentId,
          address,
          category: PUBLIC_ORDER,
          occurredAt: new Date(now - daysAgo[i] * DAY),
          version: 2,
          state: STATE.INCIDENT_STATE_VERIFIED,
          sources: [{ kind: K.INCIDENT_SOURCE_KIND_BEHAVIOUR_ALERT }],
        }),
      ),
    );
    const [suggestion] = await eventually(async () => {
      const list = await pendingAt();
      return list.length === 1 && list;
    });
    expect([...suggestion.incidentIds].sort()).toEqual(machine.map((r) => r.incidentId).sort());
    await officer.put('/trigger-settings/ALA').send({ repeatWindowDays: 90, repeatThreshold: 3 }).expect(200);
  });

  it("links a citizen's report by the address it gives, also when the report joined another incident", async () => {
    const address = `ул. Байзакова, д. ${Math.floor(Math.random() * 1e6)}, кв. 9`;
    const { body: c } = await officer
      .post('/cases')
      .send(personCase({ subject: { ...personCase().subject, address } }))
      .expect(201);
    // A camera's alert opened the incident at the camera's address; a neighbour's report joined it.
    const joined = incidentRecord({
      address: 'Abay ave 10 (camera 17)',
      point: { lat: 43.25, lon: 76.92 },
      sources: [
        { kind: K.INCIDENT_SOURCE_KIND_BEHAVIOUR_ALERT },
        {
          kind: K.INCIDENT_SOURCE_KIND_CITIZEN_REPORT,
          address: address.toUpperCase().replace('ул.', 'улица'),
        },
      ],
    });
    // A report with an address and no coordinates.
    const addressOnly = incidentRecord({
      address,
      sources: [{ kind: K.INCIDENT_SOURCE_KIND_CITIZEN_REPORT, address }],
    });
    publish(joined, addressOnly);
    await eventually(
      async () =>
        (await officer.get(`/cases/${c.id}`).set('x-purpose', 'checking new incidents').expect(200)).body
          .linkedIncidentIds.length === 2,
    );
    const linked = (
      await officer.get(`/cases/${c.id}`).set('x-purpose', 'checking new incidents').expect(200)
    ).body.linkedIncidentIds;
    expect([...linked].sort()).toEqual([joined.incidentId, addressOnly.incidentId].sort());
  });

  it('links an incident within metres of a place under prevention, even without an address', async () => {
    const { body: c } = await officer.post('/cases').send(placeCase()).expect(201);
    const near = incidentRecord({ point: { lat: 43.2333, lon: 76.9513 }, category: PUBLIC_ORDER });
    const far = incidentRecord({ point: { lat: 43.2431, lon: 76.9513 }, category: PUBLIC_ORDER });
    publish(near, far);
    await incidentStored(far.incidentId);
    await eventually(async () =>
      (await officer.get(`/cases/${c.id}`).expect(200)).body.linkedIncidentIds.includes(near.incidentId),
    );
    expect((await officer.get(`/cases/${c.id}`).expect(200)).body.linkedIncidentIds).toEqual([
      near.incidentId,
    ]);
  });

  it('suggests a case after repeated incidents at one address, and never opens one by itself', async () => {
    // The rule this test counts against, whatever another test set for the region before.
    await officer.put('/trigger-settings/ALA').send({ repeatWindowDays: 90, repeatThreshold: 3 }).expect(200);
    const address = 'ул. Толе би, 44, кв. 17';
    const pendingAt = async () =>
      (await officer.get('/suggestions').query({ status: 'pending' }).expect(200)).body.filter(
        (s: { address: string }) => s.address === address,
      );
    const casesBefore = await countRows('cases');
    const subjectsBefore = await countRows('subjects');
    const now = Date.now();
    const first = incidentRecord({ address, occurredAt: new Date(now - 20 * DAY) });
    const second = incidentRecord({ address: 'Толе би 44 кв 17', occurredAt: new Date(now - 9 * DAY) });
    publish(first, second);
    await incidentStored(second.incidentId);
    await world.bus.whenIdle();
    expect(await pendingAt()).toEqual([]);

    const third = incidentRecord({ address, occurredAt: new Date(now - DAY) });
    publish(third);
    const [suggestion] = await eventually(async () => {
      const list = await pendingAt();
      return list.length === 1 && list;
    });
    expect(suggestion).toMatchObject({
      ruleId: 'repeat-incidents-at-address',
      address,
      regionCode: 'ALA',
      incidentIds: [first.incidentId, second.incidentId, third.incidentId],
      status: 'pending',
      caseId: null,
    });
    const fired = await eventually(() => triggersFired().find((t) => t.id === suggestion.id));
    expect(fired).toMatchObject({
      caseId: '',
      suggestedCategory: prevention.PreventionCategory.PREVENTION_CATEGORY_DOMESTIC_VIOLENCE,
      suggestedRiskLevel: prevention.RiskLevel.RISK_LEVEL_UNSPECIFIED,
    });
    // A fourth incident joins the pending suggestion instead of raising another.
    const fourth = incidentRecord({ address, occurredAt: new Date(now) });
    publish(fourth);
    await eventually(
      async () =>
        (await officer.get('/suggestions').expect(200)).body.find(
          (s: { id: string }) => s.id === suggestion.id,
        )?.incidentIds.length === 4,
    );
    await world.bus.whenIdle();
    // Nothing about anyone was opened or registered by the system.
    expect(await countRows('cases')).toBe(casesBefore);
    expect(await countRows('subjects')).toBe(subjectsBefore);
    expect(
      preventionRecords(world.bus).filter(
        (r) => r.headers[CeHeader.Type] === EventTypes.PreventionCaseOpened,
      ),
    ).toHaveLength(casesBefore);

    // The officer decides, and must say whom the case is about: a flat is a household, not a place.
    const social = world.as(await world.ids.bearer('social-worker', ['ALA']));
    await social.get('/suggestions').expect(403);
    const decision = {
      category: 'domestic-violence',
      legalBasis: 'Law on Prevention of Domestic Violence, art. 8',
      ownerAgency: 'district-police-inspector',
      responsibleOfficer: 'officer-ala-1',
    };
    const undecided = await officer.post(`/suggestions/${suggestion.id}/accept`).send(decision).expect(400);
    expect(undecided.body.problems).toContainEqual({
      field: 'subject',
      reason: expect.stringMatching(/person, family, place or organization/),
    });
    expect(await countRows('cases')).toBe(casesBefore);
    const accepted = await officer
      .post(`/suggestions/${suggestion.id}/accept`)
      .send({ ...decision, subject: { kind: 'family', name: 'Household at Tole bi 44, flat 17' } })
      .expect(201);
    expect(accepted.body).toMatchObject({
      suggestionId: suggestion.id,
      openedBy: 'officer-ala-1',
      triggeredAt: suggestion.firedAt,
      subject: { kind: 'family', name: 'Household at Tole bi 44, flat 17', address },
      linkedIncidentIds: expect.arrayContaining([first.incidentId, fourth.incidentId]),
    });
    expect(accepted.body.linkedIncidentIds).toHaveLength(4);
    // A household is personal data: reading it needs a purpose, and its address is on no event.
    await officer.get(`/cases/${accepted.body.id}`).expect(400);
    const opened = await eventually(() =>
      preventionRecords(world.bus).find(
        (r) => r.key === accepted.body.id && r.headers[CeHeader.Type] === EventTypes.PreventionCaseOpened,
      ),
    );
    expect(prevention.PreventionCaseChanged.decode(opened.value).preventionCase?.subject).toMatchObject({
      kind: prevention.SubjectKind.SUBJECT_KIND_FAMILY,
      address: '',
      location: null,
    });
    expect(opened.value.toString('utf8')).not.toContain('Толе би');
    await officer
      .post(`/suggestions/${suggestion.id}/accept`)
      .send({ ...decision, subject: { kind: 'place', name: 'Courtyard' } })
      .expect(422);
    expect(
      (await officer.get('/suggestions').query({ status: 'accepted' }).expect(200)).body.find(
        (s: { id: string }) => s.id === suggestion.id,
      ),
    ).toMatchObject({
      id: suggestion.id,
      decidedBy: 'officer-ala-1',
      caseId: accepted.body.id,
    });
  });

  it('uses the region’s window and threshold, and counts only incidents after a dismissal', async () => {
    await officer.put('/trigger-settings/ALA').send({ repeatWindowDays: 7, repeatThreshold: 2 }).expect(200);
    expect((await officer.get('/trigger-settings/ALA').expect(200)).body).toEqual({
      regionCode: 'ALA',
      repeatWindowDays: 7,
      repeatThreshold: 2,
      default: false,
    });
    await officer.put('/trigger-settings/ALA').send({ repeatWindowDays: 0, repeatThreshold: 1 }).expect(400);
    const address = 'пр. Достык, 91';
    const now = Date.now();
    const early = incidentRecord({ address, occurredAt: new Date(now - 12 * DAY), category: PUBLIC_ORDER });
    const later = incidentRecord({ address, occurredAt: new Date(now - 2 * DAY), category: PUBLIC_ORDER });
    publish(early, later);
    await incidentStored(later.incidentId);
    await world.bus.whenIdle();
    const pendingAt = async () =>
      (await officer.get('/suggestions').query({ status: 'pending' }).expect(200)).body.filter(
        (s: { address: string }) => s.address === address,
      );
    // Ten days apart is outside a 7-day window.
    expect(await pendingAt()).toEqual([]);
    const third = incidentRecord({ address, occurredAt: new Date(now - DAY), category: PUBLIC_ORDER });
    publish(third);
    const [s] = await eventually(async () => {
      const list = await pendingAt();
      return list.length === 1 && list;
    });
    expect(s.incidentIds).toEqual([later.incidentId, third.incidentId]);
    expect((await eventually(() => triggersFired().find((t) => t.id === s.id))).suggestedCategory).toBe(
      prevention.PreventionCategory.PREVENTION_CATEGORY_PUBLIC_ORDER_HOTSPOT,
    );
    await officer
      .post(`/suggestions/${s.id}/dismiss`)
      .send({ reason: 'one-off events; landlord informed' })
      .expect(200);
    // One more incident after the dismissal is not yet two.
    const after = incidentRecord({ address, occurredAt: new Date(now + 1000), category: PUBLIC_ORDER });
    publish(after);
    await incidentStored(after.incidentId);
    await world.bus.whenIdle();
    expect(await pendingAt()).toEqual([]);
    // Dismissed incidents (false alarms) never count.
    const falseAlarm = incidentRecord({
      address,
      occurredAt: new Date(now + 2000),
      state: incidents.IncidentState.INCIDENT_STATE_DISMISSED,
    });
    publish(falseAlarm);
    await incidentStored(falseAlarm.incidentId);
    await world.bus.whenIdle();
    expect(await pendingAt()).toEqual([]);
    await officer.put('/trigger-settings/ALA').send({ repeatWindowDays: 90, repeatThreshold: 3 }).expect(200);
  });

  it('lets an officer link an incident that involved the subject elsewhere, which flags a review', async () => {
    const { body: c } = await officer.post('/cases').send(personCase()).expect(201);
    const elsewhere = incidentRecord({ address: 'ТРЦ Мега, пр. Розыбакиева 247', category: PUBLIC_ORDER });
    publish(elsewhere);
    await incidentStored(elsewhere.incidentId);
    const linked = await officer
      .post(`/cases/${c.id}/incidents`)
      .send({ incidentId: elsewhere.incidentId, note: 'she was one of the teenagers detained' })
      .expect(201);
    expect(linked.body.linkedIncidentIds).toEqual([elsewhere.incidentId]);
    expect(c.reviewDue).toBe(false);
    expect(linked.body.reviewDue).toBe(true);
    expect(linked.body.reviewFlag.reason).toMatch(elsewhere.incidentId);
    await officer.post(`/cases/${c.id}/incidents`).send({ incidentId: elsewhere.incidentId }).expect(409);
    await officer.post(`/cases/${c.id}/incidents`).send({ incidentId: 'no-such-incident' }).expect(422);
    const ast = incidentRecord({ regionCode: 'AST', address: 'Astana, Mangilik El 8' });
    publish(ast);
    await incidentStored(ast.incidentId);
    await officer.post(`/cases/${c.id}/incidents`).send({ incidentId: ast.incidentId }).expect(422);
    const social = world.as(await world.ids.bearer('social-worker', ['ALA']));
    await social.post(`/cases/${c.id}/incidents`).send({ incidentId: elsewhere.incidentId }).expect(403);
  });

  it('dead-letters a malformed incident event without holding up the next one', async () => {
    const bad = incidentRecord({ regionCode: 'nowhere' });
    const good = incidentRecord({ address: 'ул. Сатпаева, 3' });
    publish(bad, good);
    await incidentStored(good.incidentId);
    const dead = await eventually(() =>
      world.bus.read(`${Topics.Incidents}.dlq`).find((r) => r.headers[CeHeader.Id] === bad.eventId),
    );
    expect(dead.headers['x-error']).toMatch(/region/);
  });
});
