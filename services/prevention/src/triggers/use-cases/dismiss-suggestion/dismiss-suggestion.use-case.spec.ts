import { OperationRefusedException } from '@safecity/security';
import { InvalidError, NotFoundError } from '@safecity/service-kit';
import {
  anOfficer,
  repeatedIncidentsAt,
  startUseCaseHarness,
  type UseCaseHarness,
} from '../../../../test/use-case-harness';
import { ListSuggestionsUseCase } from '../list-suggestions/list-suggestions.use-case';
import { DismissSuggestionUseCase } from './dismiss-suggestion.use-case';

describe('DismissSuggestionUseCase', () => {
  let h: UseCaseHarness;
  let suggestionId: string;

  beforeAll(async () => {
    h = await startUseCaseHarness('ucdismisssuggestion');
    await repeatedIncidentsAt(h, 'ул. Толе би, 40');
    [{ id: suggestionId }] = await h.get(ListSuggestionsUseCase).execute({ actor: anOfficer(h), query: {} });
  });
  afterAll(() => h.close());

  it('records the officer’s decision against a case, and audits it', async () => {
    const officer = anOfficer(h);
    const dismissed = await h.get(DismissSuggestionUseCase).execute({
      actor: officer,
      id: suggestionId,
      decision: { reason: 'a one-off family celebration' },
    });
    expect(dismissed).toMatchObject({
      status: 'dismissed',
      decidedBy: officer.subject,
      decisionNote: 'a one-off family celebration',
      caseId: null,
    });
    expect(
      await h.query(`SELECT object_type, object_id, details FROM audit_log WHERE actor_subject = $1`, [
        officer.subject,
      ]),
    ).toEqual([
      { object_type: 'prevention-suggestion', object_id: suggestionId, details: { decision: 'dismissed' } },
    ]);
  });

  it('refuses a decided suggestion, an unknown one, and social workers', async () => {
    const dismiss = h.get(DismissSuggestionUseCase);
    await expect(
      dismiss.execute({ actor: anOfficer(h), id: suggestionId, decision: { reason: 'again' } }),
    ).rejects.toEqual(new InvalidError({ field: 'status', reason: 'the suggestion was already dismissed' }));
    const unknown = '00000000-0000-4000-8000-000000000000';
    await expect(
      dismiss.execute({ actor: anOfficer(h), id: unknown, decision: { reason: 'x' } }),
    ).rejects.toEqual(new NotFoundError(`suggestion ${unknown} not found`));
    await expect(
      dismiss.execute({ actor: h.person('social-worker'), id: suggestionId, decision: { reason: 'x' } }),
    ).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
