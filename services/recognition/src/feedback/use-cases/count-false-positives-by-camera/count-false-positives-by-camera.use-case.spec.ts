import { OperationRefusedException } from '@safecity/security';
import {
  aFalseAlarm,
  aRaisedMatch,
  startUseCaseHarness,
  type UseCaseHarness,
} from '../../../../test/use-case-harness';
import { RecordIncidentDismissalUseCase } from '../record-incident-dismissal/record-incident-dismissal.use-case';
import { CountFalsePositivesByCameraUseCase } from './count-false-positives-by-camera.use-case';

describe('CountFalsePositivesByCameraUseCase', () => {
  let h: UseCaseHarness;
  beforeAll(async () => {
    h = await startUseCaseHarness('uccntcm');
    for (const [kind, region] of [
      ['plate', 'ALA'],
      ['face', 'ALA'],
      ['plate', 'AST'],
    ] as const) {
      const change = aFalseAlarm({ kind, matchId: await aRaisedMatch(h, kind, region) });
      await h.get(RecordIncidentDismissalUseCase).execute({ actor: h.person('service', 'all'), change });
    }
  });
  afterAll(() => h.close());

  it('counts false positives per camera in the caller’s regions, by kind', async () => {
    const counts = await h
      .get(CountFalsePositivesByCameraUseCase)
      .execute({ actor: h.person('analyst'), filter: {} });
    expect(counts).toHaveLength(2);
    expect(counts.every((c) => c.regionCode === 'ALA' && c.falsePositives === 1)).toBe(true);
    expect(counts.map((c) => [c.plate, c.face]).sort()).toEqual([
      [0, 1],
      [1, 0],
    ]);
    const none = await h
      .get(CountFalsePositivesByCameraUseCase)
      .execute({ actor: h.person('analyst'), filter: { since: new Date(Date.now() + 60_000) } });
    expect(none).toEqual([]);
  });

  it('is refused to operators: counts are for those who tune lists and rules', async () => {
    await expect(
      h.get(CountFalsePositivesByCameraUseCase).execute({ actor: h.person('operator'), filter: {} }),
    ).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
