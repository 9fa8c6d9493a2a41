import { verifyAuditChain } from '@safecity/security';
import { SubjectErasureJob } from '../src/retention/subject-erasure.job';
import { personCase, placeCase, startWorld, type Agent, type PreventionWorld } from './world';

describe('erasure of subjects after retention', () => {
  let world: PreventionWorld;
  let officer: Agent;
  const RETENTION_DAYS = 30;

  beforeAll(async () => {
    world = await startWorld('preverase', { retention: { subjectRetentionDays: RETENTION_DAYS } });
    officer = world.as(await world.ids.bearer('prevention-officer', ['ALA']));
  }, 60_000);

  afterAll(async () => world?.close());

  const close = async (id: string, daysAgo: number) => {
    await officer
      .post(`/cases/${id}/status`)
      .send({ status: 'closed', outcome: 'risk-resolved', note: 'Aigerim back at school' })
      .expect(200);
    await world.pg.query(
      `UPDATE prevention.cases SET closed_at = now() - make_interval(days => $2) WHERE id = $1`,
      [id, daysAgo],
    );
  };
  const subjectRow = async (id: string) =>
    (
      await world.pg.query(
        'SELECT name, identifier, birth_date, address, notes, erased_at FROM prevention.subjects WHERE id = $1',
        [id],
      )
    ).rows[0];

  it('erases a person once every case about them has been closed longer than retention, and audits it', async () => {
    const { body: expired } = await officer
      .post('/cases')
      .send(personCase({ subject: { ...personCase().subject, notes: 'lives with grandmother' } }))
      .expect(201);
    await officer
      .post(`/cases/${expired.id}/measures`)
      .send({
        kind: 'preventive-talk',
        agencyCode: 'education',
        assigneeId: 'school-psych',
        dueAt: new Date(Date.now() + 86_400_000).toISOString(),
        description: 'talk with Aigerim and her mother',
      })
      .expect(201);
    await close(expired.id, RETENTION_DAYS + 1);

    const { body: recent } = await officer.post('/cases').send(personCase()).expect(201);
    await close(recent.id, RETENTION_DAYS - 1);

    // A second case about the same person, still open, keeps the first one's subject.
    const { body: shared } = await officer.post('/cases').send(personCase()).expect(201);
    await close(shared.id, RETENTION_DAYS + 5);
    await officer
      .post('/cases')
      .send({ ...personCase(), subject: undefined, subjectId: shared.subject.id })
      .expect(201);

    const { body: place } = await officer.post('/cases').send(placeCase()).expect(201);
    await close(place.id, RETENTION_DAYS + 1);

    const run = await world.service.app.get(SubjectErasureJob).runOnce();
    expect(run).toEqual({ ran: true, erased: 1 });

    expect(await subjectRow(expired.subject.id)).toMatchObject({
      name: null,
      identifier: null,
      birth_date: null,
      address: null,
      notes: null,
      erased_at: expect.any(Date),
    });
    expect((await subjectRow(recent.subject.id)).name).toBe('Айгерим Нурланова');
    expect((await subjectRow(shared.subject.id)).name).toBe('Айгерим Нурланова');
    // Places are not personal data and stay.
    expect((await subjectRow(place.subject.id)).address).toBe('мкр Самал-2, 58');

    const { rows: measures } = await world.pg.query(
      'SELECT description FROM prevention.measures WHERE case_id = $1',
      [expired.id],
    );
    expect(measures).toEqual([{ description: null }]);
    const { rows: timeline } = await world.pg.query(
      'SELECT details FROM prevention.case_timeline WHERE case_id = $1',
      [expired.id],
    );
    expect(JSON.stringify(timeline)).not.toContain('Aigerim');

    // The case stays, pseudonymous, and needs no purpose to read any more.
    const read = await officer.get(`/cases/${expired.id}`).expect(200);
    expect(read.body).toMatchObject({
      status: 'closed',
      outcome: 'risk-resolved',
      subject: { id: expired.subject.id, kind: 'person', erased: true },
    });
    expect(JSON.stringify(read.body)).not.toMatch(/Айгерим|090417600123|Абая/);

    const { rows: audit } = await world.pg.query(
      `SELECT actor_subject, action, purpose, legal_basis, details FROM prevention.audit_log
       WHERE action = 'erase' AND object_type = 'prevention-subject'`,
    );
    expect(audit).toEqual([
      {
        actor_subject: 'service:prevention',
        action: 'erase',
        purpose: 'retention',
        legal_basis: `prevention case subjects are kept ${RETENTION_DAYS} days after their last case closed`,
        details: { caseIds: [expired.id] },
      },
    ]);
    expect(await verifyAuditChain(world.db.url, 'prevention')).toMatchObject({ ok: true });

    // Nothing left to erase: a second run changes nothing.
    expect(await world.service.app.get(SubjectErasureJob).runOnce()).toEqual({ ran: true, erased: 0 });
  });
});
