import { OperationRefusedException } from '@safecity/security';
import { InvalidError, NotFoundError } from '@safecity/service-kit';
import {
  anAlmatyWatchlist,
  aPlateEntry,
  auditOf,
  startUseCaseHarness,
  type UseCaseHarness,
} from '../../../../test/use-case-harness';
import { UpdatePlateEntryUseCase } from './update-plate-entry.use-case';

describe('UpdatePlateEntryUseCase', () => {
  let h: UseCaseHarness;
  let id: string;
  beforeAll(async () => {
    h = await startUseCaseHarness('ucupdpl');
    const keeper = h.person('supervisor');
    id = (await aPlateEntry(h, keeper, (await anAlmatyWatchlist(h, keeper, 'plate')).id)).id;
  });
  afterAll(() => h.close());

  it('changes the given fields, keeps the plate and the rest, and audits the fields', async () => {
    const updated = await h.get(UpdatePlateEntryUseCase).execute({
      actor: h.person('supervisor', ['ALA', 'AST']),
      id,
      fields: { priority: 4, regions: ['ALA', 'AST'] },
    });
    expect(updated).toMatchObject({
      plate: '123ABC02',
      priority: 4,
      reason: 'stolen-vehicle',
      regions: ['ALA', 'AST'],
    });
    expect((await auditOf(h, id)).pop()).toMatchObject({
      action: 'update',
      details: { fields: ['priority', 'regions'] },
    });
  });

  it('refuses an expiry more than five years ahead, a region outside the scope, another region’s entry', async () => {
    const update = (fields: Record<string, unknown>, actor = h.person('supervisor')) =>
      h.get(UpdatePlateEntryUseCase).execute({ actor, id, fields });
    await expect(
      update({ expiresAt: new Date(Date.now() + 6 * 366 * 24 * 3600 * 1000) }),
    ).rejects.toBeInstanceOf(InvalidError);
    await expect(update({ regions: ['SHY'] })).rejects.toMatchObject({
      problems: [{ field: 'regions', reason: 'region SHY is outside your scope' }],
    });
    await expect(update({}, h.person('supervisor', ['SHY']))).rejects.toBeInstanceOf(NotFoundError);
    await expect(update({}, h.person('analyst'))).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
