import { OperationRefusedException } from '@safecity/security';
import {
  aFalseAlarm,
  aRaisedMatch,
  startUseCaseHarness,
  type UseCaseHarness,
} from '../../../../test/use-case-harness';
import { RecordIncidentDismissalUseCase } from '../record-incident-dismissal/record-incident-dismissal.use-case';
import { CountFalsePositivesByWatchlistUseCase } from './count-false-positives-by-watchlist.use-case';

describe('CountFalsePositivesByWatchlistUseCase', () => {
  let h: UseCaseHarness;
  beforeAll(async () => {
    h = await startUseCaseHarness('uccntwl');
    for (const region of ['ALA', 'ALA', 'AST']) {
      const change = aFalseAlarm({ kind: 'plate', matchId: await aRaisedMatch(h, 'plate', region) });
      await h.get(RecordIncidentDismissalUseCase).execute({ actor: h.person('service', 'all'), change });
    }
  });
  afterAll(() => h.close());

  it('counts dismissed matches per watchlist that raised them, in the caller’s regions', async () => {
    const counts = await h
      .get(CountFalsePositivesByWatchlistUseCase)
      .execute({ actor: h.person('supervisor'), filter: { regionCode: 'ALA' } });
    expect(counts).toHaveLength(2);
    expect(counts.every((c) => c.regionCode === 'ALA')).toBe(true);
    const national = await h
      .get(CountFalsePositivesByWatchlistUseCase)
      .execute({ actor: h.person('admin', 'all'), filter: {} });
    expect(national).toHaveLength(3);
  });

  it('is refused to operators', async () => {
    await expect(
      h.get(CountFalsePositivesByWatchlistUseCase).execute({ actor: h.person('operator'), filter: {} }),
    ).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
