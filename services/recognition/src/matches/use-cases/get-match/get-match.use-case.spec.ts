import { OperationRefusedException } from '@safecity/security';
import { NotFoundError } from '@safecity/service-kit';
import {
  aRaisedMatch,
  auditOf,
  startUseCaseHarness,
  type UseCaseHarness,
} from '../../../../test/use-case-harness';
import { GetMatchUseCase } from './get-match.use-case';

describe('GetMatchUseCase', () => {
  let h: UseCaseHarness;
  let id: string;
  beforeAll(async () => {
    h = await startUseCaseHarness('ucgetmt');
    id = await aRaisedMatch(h, 'face');
  });
  afterAll(() => h.close());

  it('gives the match pending verification, the view audited with the purpose and the legal basis', async () => {
    const actor = h.person('operator');
    const found = await h.get(GetMatchUseCase).execute({ actor, id, purpose: 'incident 42' });
    expect(found).toMatchObject({ kind: 'face', match: { id, regionCode: 'ALA', verifications: [] } });
    expect((await auditOf(h, id)).map((a) => [a.action, a.purpose])).toEqual([
      ['create', 'face watchlist matching'],
      ['read', 'incident 42'],
    ]);
  });

  it('answers another region’s match like a missing one, and refuses region administrators', async () => {
    await expect(
      h.get(GetMatchUseCase).execute({ actor: h.person('operator', ['AST']), id, purpose: 'x' }),
    ).rejects.toEqual(new NotFoundError(`match ${id} not found`));
    await expect(
      h.get(GetMatchUseCase).execute({ actor: h.person('region-admin'), id, purpose: 'x' }),
    ).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
