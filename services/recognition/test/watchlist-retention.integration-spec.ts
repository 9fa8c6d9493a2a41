import { RetentionJob, verifyAuditChain } from '@safecity/security';
import { inAWeek, startMatchingWorld, type MatchingWorld } from './matching-harness';

describe('watchlist retention', () => {
  let world: MatchingWorld;
  let plateList: string;
  let faceList: string;

  beforeAll(async () => {
    world = await startMatchingWorld('recretention', {
      watchlistRetentionDays: 30,
      retentionIntervalMs: 3_600_000,
    });
    const admin = await world.as('admin');
    plateList = (
      await admin
        .post('/watchlists')
        .send({
          kind: 'plate',
          name: 'Stolen',
          regionCode: 'ALA',
          legalBasis: 'Order 1',
          owner: 'ALA police',
        })
        .expect(201)
    ).body.id;
    faceList = (
      await admin
        .post('/watchlists')
        .send({
          kind: 'face',
          name: 'Missing',
          regionCode: 'ALA',
          category: 'missing-person',
          threshold: 0.6,
          legalBasis: 'Order 2',
          owner: 'ALA police',
        })
        .expect(201)
    ).body.id;
  });

  afterAll(async () => {
    await world?.close();
  });

  it('erases entries (and their templates) once expired past retention, keeps the rest, and audits the erasure', async () => {
    const admin = await world.as('admin');
    const plate = (text: string) =>
      admin
        .post(`/watchlists/${plateList}/plates`)
        .send({
          plate: text,
          reason: 'stolen-vehicle',
          priority: 2,
          legalBasis: 'Case 1',
          owner: 'o',
          expiresAt: inAWeek(),
        })
        .expect(201)
        .then((r) => r.body.id as string);
    const longGone = await plate('111AAA01');
    const recentlyExpired = await plate('222BBB01');
    const live = await plate('333CCC01');
    const subject = (
      await admin
        .post(`/watchlists/${faceList}/subjects`)
        .send({
          subjectRef: 'p-1',
          legalBasis: 'Order 2',
          owner: 'o',
          expiresAt: inAWeek(),
          templates: [{ model: 'm@1', vector: Array.from({ length: 32 }, (_, i) => i + 1) }],
        })
        .expect(201)
    ).body.id as string;
    // As if their expiry had come and gone.
    await world.sql(
      `UPDATE recognition.plate_hotlist_entries SET expires_at = now() - interval '31 days' WHERE id = $1`,
      [longGone],
    );
    await world.sql(
      `UPDATE recognition.plate_hotlist_entries SET expires_at = now() - interval '10 days' WHERE id = $1`,
      [recentlyExpired],
    );
    await world.sql(
      `UPDATE recognition.face_watchlist_entries SET expires_at = now() - interval '40 days' WHERE id = $1`,
      [subject],
    );

    const result = await world.service.app.get(RetentionJob).runOnce();
    expect(result).toMatchObject({ ran: true });
    const erased = result.ran ? Object.fromEntries(result.erasures.map((e) => [e.dataClass, e.count])) : {};
    expect(erased['expired-plate-hotlist-entries']).toBe(1);
    expect(erased['expired-face-watchlist-entries']).toBe(1);

    const left = (await world.sql(`SELECT id FROM recognition.plate_hotlist_entries`)).map((r) => r.id);
    expect(left).toEqual(expect.arrayContaining([recentlyExpired, live]));
    expect(left).not.toContain(longGone);
    expect(
      await world.sql(`SELECT 1 FROM recognition.face_templates WHERE entry_id = $1`, [subject]),
    ).toEqual([]);

    const audits = await world.sql(
      `SELECT object_id, purpose, legal_basis, details FROM recognition.audit_log WHERE action = 'erase' AND object_type = 'data-class' ORDER BY seq`,
    );
    expect(audits).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          object_id: 'expired-plate-hotlist-entries',
          purpose: 'retention',
          legal_basis: 'hotlist entries are erased 30 days after they expire',
          details: expect.objectContaining({ count: 1 }),
        }),
        expect.objectContaining({ object_id: 'expired-face-watchlist-entries', purpose: 'retention' }),
      ]),
    );
    const chain = await verifyAuditChain(world.dataSource, 'recognition');
    expect(chain).toMatchObject({ ok: true });
  });
});
