import { EventTypes } from '@safecity/contracts';
import { OperationRefusedException } from '@safecity/security';
import { InvalidError } from '@safecity/service-kit';
import {
  aPlaceCase,
  anOfficer,
  eventTypesOf,
  startUseCaseHarness,
  type UseCaseHarness,
} from '../../../../test/use-case-harness';
import { ChangeCaseStatusUseCase } from '../change-case-status/change-case-status.use-case';
import { RecordReviewUseCase } from './record-review.use-case';

describe('RecordReviewUseCase', () => {
  let h: UseCaseHarness;

  beforeAll(async () => {
    h = await startUseCaseHarness('ucrecordreview');
  });
  afterAll(() => h.close());

  it('records the review and schedules the next one a review interval ahead', async () => {
    const officer = anOfficer(h);
    const opened = await aPlaceCase(h, officer, { reviewIntervalDays: 30 });
    const worker = h.person('social-worker');
    const reviewed = await h.get(RecordReviewUseCase).execute({
      actor: worker,
      id: opened.id,
      review: { conclusion: 'the courtyard is calmer' },
    });
    const next = new Date(reviewed.nextReviewAt).getTime();
    expect(next).toBeGreaterThan(Date.now() + 29 * 86_400_000);
    expect(next).toBeLessThan(Date.now() + 31 * 86_400_000);
    const [review] = await h.query(`SELECT reviewed_by, conclusion FROM reviews WHERE case_id = $1`, [
      opened.id,
    ]);
    expect(review).toEqual({ reviewed_by: worker.subject, conclusion: 'the courtyard is calmer' });
    expect(await eventTypesOf(h, opened.id, 2)).toEqual([
      EventTypes.PreventionCaseOpened,
      EventTypes.PreventionCaseUpdated,
    ]);
    expect(await h.query(`SELECT action FROM audit_log WHERE actor_subject = $1`, [worker.subject])).toEqual([
      { action: 'update' },
    ]);
  });

  it('refuses a review of a closed case, and analysts', async () => {
    const officer = anOfficer(h);
    const opened = await aPlaceCase(h, officer);
    await h.get(ChangeCaseStatusUseCase).execute({
      actor: officer,
      id: opened.id,
      change: { status: 'closed', outcome: 'other' },
    });
    await expect(
      h.get(RecordReviewUseCase).execute({ actor: officer, id: opened.id, review: { conclusion: 'late' } }),
    ).rejects.toEqual(new InvalidError({ field: 'status', reason: 'a closed case has no reviews' }));
    await expect(
      h
        .get(RecordReviewUseCase)
        .execute({ actor: h.person('analyst'), id: opened.id, review: { conclusion: 'x' } }),
    ).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
