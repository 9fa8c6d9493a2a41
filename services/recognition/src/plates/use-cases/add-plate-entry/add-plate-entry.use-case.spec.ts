import { OperationRefusedException } from '@safecity/security';
import { InvalidError, NotFoundError } from '@safecity/service-kit';
import {
  anAlmatyWatchlist,
  aPlateEntry,
  auditOf,
  inAWeek,
  startUseCaseHarness,
  type UseCaseHarness,
} from '../../../../test/use-case-harness';
import { AddPlateEntryUseCase } from './add-plate-entry.use-case';

describe('AddPlateEntryUseCase', () => {
  let h: UseCaseHarness;
  let listId: string;
  let faceListId: string;
  const keeper = () => h.person('supervisor');
  beforeAll(async () => {
    h = await startUseCaseHarness('ucaddpl');
    listId = (await anAlmatyWatchlist(h, keeper(), 'plate')).id;
    faceListId = (await anAlmatyWatchlist(h, keeper(), 'face')).id;
  });
  afterAll(() => h.close());

  const add = (fields: Record<string, unknown>, actor = keeper(), watchlistId = listId) =>
    h.get(AddPlateEntryUseCase).execute({
      actor,
      watchlistId,
      entry: {
        plate: '777KZA02',
        reason: 'stolen-vehicle',
        priority: 2,
        legalBasis: 'Case 2',
        owner: 'x',
        expiresAt: inAWeek(),
        ...fields,
      },
    });

  it('lists the normalised plate for the list’s region, marks it changed and audits it', async () => {
    const actor = keeper();
    const entry = await aPlateEntry(h, actor, listId, '123 abc 02');
    expect(entry).toMatchObject({
      plate: '123ABC02',
      regionCode: 'ALA',
      regions: ['ALA'],
      watchlistId: listId,
    });
    expect(await auditOf(h, entry.id)).toEqual([
      expect.objectContaining({
        action: 'create',
        actor_subject: actor.subject,
        purpose: 'hotlist administration',
      }),
    ]);
    expect(await h.query(`SELECT kind FROM watchlist_changes WHERE object_id = $1`, [entry.id])).toEqual([
      { kind: 'plate-entry' },
    ]);
  });

  it('refuses a malformed plate, a past expiry, a national entry by regional staff', async () => {
    await expect(add({ plate: '!' })).rejects.toMatchObject({ problems: [{ field: 'plate' }] });
    await expect(add({ expiresAt: new Date(Date.now() - 1000) })).rejects.toMatchObject({
      problems: [{ field: 'expiresAt', reason: 'must be in the future' }],
    });
    const national = add({ national: true });
    await expect(national).rejects.toBeInstanceOf(InvalidError);
    await expect(national).rejects.toMatchObject({ problems: [{ field: 'regions' }] });
  });

  it('answers a face list, or another region’s list, as not found; refuses other roles', async () => {
    await expect(add({}, keeper(), faceListId)).rejects.toBeInstanceOf(NotFoundError);
    await expect(add({}, h.person('supervisor', ['AST']))).rejects.toBeInstanceOf(NotFoundError);
    await expect(add({}, h.person('operator'))).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
