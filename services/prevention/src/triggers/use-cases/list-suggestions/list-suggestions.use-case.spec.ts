import { OperationRefusedException } from '@safecity/security';
import {
  anOfficer,
  repeatedIncidentsAt,
  startUseCaseHarness,
  type UseCaseHarness,
} from '../../../../test/use-case-harness';
import { ListSuggestionsUseCase } from './list-suggestions.use-case';

describe('ListSuggestionsUseCase', () => {
  let h: UseCaseHarness;

  beforeAll(async () => {
    h = await startUseCaseHarness('uclistsuggestions');
    await repeatedIncidentsAt(h, 'ул. Толе би, 40');
  });
  afterAll(() => h.close());

  it('lists the suggestions of the caller’s regions, by status', async () => {
    const list = h.get(ListSuggestionsUseCase);
    const pending = await list.execute({ actor: anOfficer(h), query: { status: 'pending' } });
    expect(pending).toEqual([
      expect.objectContaining({
        regionCode: 'ALA',
        ruleId: 'repeat-incidents-at-address',
        address: 'ул. Толе би, 40',
      }),
    ]);
    expect(pending[0].incidentIds).toHaveLength(3);
    expect(await list.execute({ actor: anOfficer(h), query: { status: 'dismissed' } })).toEqual([]);
    expect(await list.execute({ actor: anOfficer(h, ['AST']), query: {} })).toEqual([]);
    expect(await h.query('SELECT count(*)::int AS n FROM audit_log')).toEqual([{ n: 0 }]);
  });

  it('is refused to social workers, who do not decide on cases', async () => {
    await expect(
      h.get(ListSuggestionsUseCase).execute({ actor: h.person('social-worker'), query: {} }),
    ).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
