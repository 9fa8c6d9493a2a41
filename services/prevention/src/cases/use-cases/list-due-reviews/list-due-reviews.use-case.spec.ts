import { OperationRefusedException } from '@safecity/security';
import {
  aPlaceCase,
  anOfficer,
  incidentsHappened,
  startUseCaseHarness,
  type UseCaseHarness,
} from '../../../../test/use-case-harness';
import { PUBLIC_ORDER } from '../../../../test/incidents';
import { ListDueReviewsUseCase } from './list-due-reviews.use-case';

describe('ListDueReviewsUseCase', () => {
  let h: UseCaseHarness;

  beforeAll(async () => {
    h = await startUseCaseHarness('ucduereviews');
  });
  afterAll(() => h.close());

  it('lists the cases whose review an incident at their subject flagged', async () => {
    const flagged = await aPlaceCase(h, anOfficer(h));
    await aPlaceCase(h, anOfficer(h), {
      subject: { kind: 'place', name: 'Bus stop', address: 'ул. Жандосова, 1' },
    });
    const listed = h.get(ListDueReviewsUseCase);
    expect((await listed.execute({ actor: anOfficer(h) })).count).toBe(0);
    await incidentsHappened(h, { category: PUBLIC_ORDER, address: 'мкр Самал-2, 58' });
    const due = await listed.execute({ actor: anOfficer(h), regionCode: 'ALA' });
    expect(due.items).toEqual([
      expect.objectContaining({ id: flagged.id, reviewFlagReason: expect.stringMatching(/^incident /) }),
    ]);
    expect((await listed.execute({ actor: anOfficer(h, ['AST']) })).count).toBe(0);
  });

  it('is refused to analysts', async () => {
    await expect(h.get(ListDueReviewsUseCase).execute({ actor: h.person('analyst') })).rejects.toBeInstanceOf(
      OperationRefusedException,
    );
  });
});
