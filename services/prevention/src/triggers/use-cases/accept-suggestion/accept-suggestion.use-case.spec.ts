import { EventTypes } from '@safecity/contracts';
import { OperationRefusedException } from '@safecity/security';
import { InvalidError, NotFoundError } from '@safecity/service-kit';
import {
  anOfficer,
  eventTypesOf,
  repeatedIncidentsAt,
  startUseCaseHarness,
  type UseCaseHarness,
} from '../../../../test/use-case-harness';
import type { AcceptSuggestionDto } from '../../suggestion.dto';
import { ListSuggestionsUseCase } from '../list-suggestions/list-suggestions.use-case';
import { AcceptSuggestionUseCase } from './accept-suggestion.use-case';

const decision: AcceptSuggestionDto = {
  subject: { kind: 'family', name: 'Household at Толе би 40' },
  category: 'domestic-violence',
  legalBasis: 'Law on Prevention of Domestic Violence, art. 10',
  ownerAgency: 'district-police-inspector',
  responsibleOfficer: 'officer-ala-3',
};

describe('AcceptSuggestionUseCase', () => {
  let h: UseCaseHarness;
  let suggestionId: string;
  let incidentIds: string[];

  beforeAll(async () => {
    h = await startUseCaseHarness('ucacceptsuggestion');
    incidentIds = await repeatedIncidentsAt(h, 'ул. Толе би, 40');
    [{ id: suggestionId }] = await h.get(ListSuggestionsUseCase).execute({ actor: anOfficer(h), query: {} });
  });
  afterAll(() => h.close());

  it('opens the case the officer decided on, with the suggestion’s address and incidents', async () => {
    const officer = anOfficer(h);
    const opened = await h
      .get(AcceptSuggestionUseCase)
      .execute({ actor: officer, id: suggestionId, decision });
    expect(opened).toMatchObject({ suggestionId, category: 'domestic-violence', status: 'open' });
    expect(opened.subject).toMatchObject({ kind: 'family', address: 'ул. Толе би, 40' });
    expect([...opened.linkedIncidentIds].sort()).toEqual([...incidentIds].sort());
    expect(await eventTypesOf(h, opened.id, 1)).toEqual([EventTypes.PreventionCaseOpened]);
    const [suggestion] = await h.query(`SELECT status, case_id, decided_by FROM suggestions WHERE id = $1`, [
      suggestionId,
    ]);
    expect(suggestion).toEqual({ status: 'accepted', case_id: opened.id, decided_by: officer.subject });
    expect(
      await h.query(`SELECT object_type, action FROM audit_log WHERE actor_subject = $1 ORDER BY seq`, [
        officer.subject,
      ]),
    ).toEqual([
      { object_type: 'prevention-case', action: 'create' },
      { object_type: 'prevention-subject', action: 'create' },
    ]);
  });

  it('refuses a decided suggestion, another region’s, and social workers', async () => {
    await expect(
      h.get(AcceptSuggestionUseCase).execute({ actor: anOfficer(h), id: suggestionId, decision }),
    ).rejects.toEqual(new InvalidError({ field: 'status', reason: 'the suggestion was already accepted' }));
    await expect(
      h.get(AcceptSuggestionUseCase).execute({ actor: anOfficer(h, ['AST']), id: suggestionId, decision }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      h
        .get(AcceptSuggestionUseCase)
        .execute({ actor: h.person('social-worker'), id: suggestionId, decision }),
    ).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
