import { decideVerification, type MatchState } from './match-verification';

const face = (verdicts: MatchState['verdicts'] = [], status: MatchState['status'] = 'pending-verification') =>
  ({ kind: 'face', status, requiredConfirmations: 2, verdicts }) as MatchState;
const plate = (status: MatchState['status'] = 'pending-verification') =>
  ({ kind: 'plate', status, requiredConfirmations: 1, verdicts: [] }) as MatchState;
const confirm = (actorSubject: string, checks = { plateChecked: false, vehicleChecked: false }) => ({
  actorSubject,
  verdict: 'confirmed' as const,
  ...checks,
});

describe('decideVerification', () => {
  it('needs two different people to confirm a face match', () => {
    expect(decideVerification(face(), confirm('ann'))).toEqual({
      ok: true,
      status: 'partially-confirmed',
      confirmations: 1,
    });
    const once = face([{ actorSubject: 'ann', verdict: 'confirmed' }], 'partially-confirmed');
    expect(decideVerification(once, confirm('bob'))).toEqual({
      ok: true,
      status: 'confirmed',
      confirmations: 2,
    });
  });

  it('does not count the same person twice', () => {
    const once = face([{ actorSubject: 'ann', verdict: 'confirmed' }], 'partially-confirmed');
    expect(decideVerification(once, confirm('ann'))).toMatchObject({
      ok: false,
      code: 'conflict',
      field: 'actor',
    });
  });

  it('confirms a plate match after one visual check of plate and vehicle', () => {
    expect(decideVerification(plate(), confirm('ann', { plateChecked: true, vehicleChecked: true }))).toEqual(
      {
        ok: true,
        status: 'confirmed',
        confirmations: 1,
      },
    );
    expect(
      decideVerification(plate(), confirm('ann', { plateChecked: true, vehicleChecked: false })),
    ).toMatchObject({
      ok: false,
      code: 'unprocessable',
      field: 'vehicleChecked',
    });
  });

  it('closes a match on rejection, and takes no verdict after a final status', () => {
    const rejected = decideVerification(face(), { ...confirm('ann'), verdict: 'rejected' });
    expect(rejected).toEqual({ ok: true, status: 'rejected', confirmations: 0 });
    for (const status of ['confirmed', 'rejected', 'expired'] as const) {
      expect(decideVerification(face([], status), confirm('bob'))).toMatchObject({
        ok: false,
        code: 'conflict',
      });
    }
  });
});
