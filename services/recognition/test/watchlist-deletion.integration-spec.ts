import { verifyAuditChain } from '@safecity/security';
import { inAWeek, startMatchingWorld, type MatchingWorld } from './matching-harness';

describe('deleting a whole watchlist', () => {
  let world: MatchingWorld;

  beforeAll(async () => {
    world = await startMatchingWorld('recwatchlistdeletion');
  });

  afterAll(async () => {
    await world?.close();
  });

  async function list(body: Record<string, unknown>): Promise<string> {
    const admin = await world.as('admin');
    return (await admin.post('/watchlists').send(body).expect(201)).body.id as string;
  }

  async function plate(listId: string, text: string, legalBasis: string): Promise<string> {
    const admin = await world.as('admin');
    return (
      await admin
        .post(`/watchlists/${listId}/plates`)
        .send({
          plate: text,
          reason: 'stolen-vehicle',
          priority: 2,
          legalBasis,
          owner: 'o',
          expiresAt: inAWeek(),
        })
        .expect(201)
    ).body.id as string;
  }

  const erasures = (objectType: string) =>
    world.sql(
      `SELECT object_id, region_code, purpose, legal_basis, actor_subject, details FROM recognition.audit_log
       WHERE action = 'erase' AND object_type = $1 ORDER BY seq`,
      [objectType],
    );

  it('records the erasure of each entry it took, under the entry’s own legal basis, besides the list’s', async () => {
    const stolen = await list({
      kind: 'plate',
      name: 'Stolen',
      regionCode: 'ALA',
      legalBasis: 'Order 1',
      owner: 'ALA police',
    });
    const kept = await list({
      kind: 'plate',
      name: 'Wanted',
      regionCode: 'ALA',
      legalBasis: 'Order 3',
      owner: 'ALA police',
    });
    const first = await plate(stolen, '111AAA01', 'Case 1');
    const second = await plate(stolen, '222BBB01', 'Case 2');
    const other = await plate(kept, '333CCC01', 'Case 3');
    const faces = await list({
      kind: 'face',
      name: 'Missing',
      regionCode: 'ALA',
      category: 'missing-person',
      threshold: 0.6,
      legalBasis: 'Order 2',
      owner: 'ALA police',
    });
    const admin = await world.as('admin', 'all', 'list-keeper');
    const subject = (
      await admin
        .post(`/watchlists/${faces}/subjects`)
        .send({
          subjectRef: 'p-1',
          legalBasis: 'Order 2, person 1',
          owner: 'o',
          expiresAt: inAWeek(),
          templates: [{ model: 'm@1', vector: Array.from({ length: 32 }, (_, i) => i + 1) }],
        })
        .expect(201)
    ).body.id as string;

    await admin.delete(`/watchlists/${stolen}`).set('x-purpose', 'order revoked').expect(204);
    await admin.delete(`/watchlists/${faces}`).set('x-purpose', 'search closed').expect(204);

    const plates = await erasures('plate-hotlist-entry');
    expect(plates.map((r) => r.object_id).sort()).toEqual([first, second].sort());
    expect(plates).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          object_id: first,
          region_code: 'ALA',
          purpose: 'order revoked',
          legal_basis: 'Case 1',
          actor_subject: 'list-keeper',
          details: expect.objectContaining({ watchlistId: stolen }),
        }),
        expect.objectContaining({ object_id: second, legal_basis: 'Case 2' }),
      ]),
    );
    expect(plates.map((r) => r.object_id)).not.toContain(other);
    expect(await erasures('face-watchlist-entry')).toEqual([
      expect.objectContaining({
        object_id: subject,
        purpose: 'search closed',
        legal_basis: 'Order 2, person 1',
        details: expect.objectContaining({ watchlistId: faces }),
      }),
    ]);
    // The list's own record stays, with the number of entries it took.
    expect(await erasures('watchlist')).toEqual([
      expect.objectContaining({ object_id: stolen, details: expect.objectContaining({ entries: 2 }) }),
      expect.objectContaining({ object_id: faces, details: expect.objectContaining({ entries: 1 }) }),
    ]);
    expect(await world.sql(`SELECT id FROM recognition.plate_hotlist_entries`)).toEqual([{ id: other }]);
    expect(await verifyAuditChain(world.dataSource, 'recognition')).toMatchObject({ ok: true });
  });
});
